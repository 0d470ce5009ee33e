package dev.nss.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;

/** {@link HostHardware} through OSHI. */
public final class OshiHostHardware implements HostHardware {

  private final Path procMeminfo;

  public OshiHostHardware() {
    this(Paths.get("/proc/meminfo"));
  }

  OshiHostHardware(Path procMeminfo) {
    this.procMeminfo = procMeminfo;
  }

  @Override
  public List<GraphicsCard> graphicsCards() {
    List<GraphicsCard> cards = new ArrayList<>();
    for (oshi.hardware.GraphicsCard card : hardware().getGraphicsCards()) {
      cards.add(
          new GraphicsCard(card.getName(), card.getVendor(), card.getDeviceId(), card.getVRam()));
    }
    return cards;
  }

  /**
   * Reads {@code MemTotal} from {@code /proc/meminfo} where it exists (what OSHI reads on Linux
   * too), and asks OSHI elsewhere. On Linux OSHI's memory class loads JNA's native library, which
   * makes JDK 24 and later print a four-line "restricted method" warning into the Maven log; the
   * graphics card listing does not.
   */
  @Override
  public OptionalLong totalMemoryBytes() {
    if (Files.isReadable(procMeminfo)) {
      try {
        for (String line : Files.readAllLines(procMeminfo)) {
          if (line.startsWith("MemTotal:")) {
            String[] parts = line.substring("MemTotal:".length()).strip().split("\\s+");
            return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
          }
        }
      } catch (IOException | RuntimeException e) {
        // Fall through to OSHI.
      }
    }
    long total = hardware().getMemory().getTotal();
    return total > 0 ? OptionalLong.of(total) : OptionalLong.empty();
  }

  private static HardwareAbstractionLayer hardware() {
    return new SystemInfo().getHardware();
  }
}
