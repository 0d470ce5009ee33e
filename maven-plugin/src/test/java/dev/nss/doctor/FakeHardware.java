package dev.nss.doctor;

import java.util.List;
import java.util.OptionalLong;

/** OSHI's answers, as a test wants them. */
public record FakeHardware(List<GraphicsCard> cards, OptionalLong memory) implements HostHardware {

  public static FakeHardware none() {
    return new FakeHardware(List.of(), OptionalLong.of(64L << 30));
  }

  @Override
  public List<GraphicsCard> graphicsCards() {
    return cards;
  }

  @Override
  public OptionalLong totalMemoryBytes() {
    return memory;
  }
}
