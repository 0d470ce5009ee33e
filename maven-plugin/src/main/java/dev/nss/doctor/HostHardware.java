package dev.nss.doctor;

import java.util.List;
import java.util.OptionalLong;

/** The host facts the doctor takes from OSHI; a fake in tests. */
public interface HostHardware {

  /**
   * Graphics cards of any vendor, as the OS lists them (may be empty where {@code lspci} is
   * missing).
   */
  List<GraphicsCard> graphicsCards();

  /** Total physical memory in bytes, when known. */
  OptionalLong totalMemoryBytes();

  /**
   * A graphics card.
   *
   * @param name model name, e.g. {@code GH100 [H100 SXM5 80GB]}
   * @param vendor vendor name as listed, e.g. {@code NVIDIA Corporation}
   * @param deviceId PCI ids as listed, e.g. {@code 0x2330}
   * @param vramBytes video memory in bytes, 0 when unknown
   */
  record GraphicsCard(String name, String vendor, String deviceId, long vramBytes) {

    /** NVIDIA's PCI vendor id is 10de. */
    public boolean isNvidia() {
      String v = (vendor + " " + name).toLowerCase(java.util.Locale.ROOT);
      return v.contains("nvidia") || v.contains("10de");
    }
  }
}
