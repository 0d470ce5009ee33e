package dev.nss.engine;

import dev.nss.core.InvalidSettingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which {@code linux/*} platforms this host can build: its own architecture, plus every
 * architecture for which a qemu handler is registered and enabled in {@code binfmt_misc} (RUN steps
 * of a foreign platform run under emulation).
 */
public final class PlatformSupport {

  /**
   * Image architecture to the name qemu and binfmt-support use for it, sorted by architecture (the
   * order {@link #emulated} lists them in).
   */
  private static final Map<String, String> QEMU_NAMES =
      new TreeMap<>(
          Map.of(
              "amd64",
              "x86_64",
              "arm64",
              "aarch64",
              "arm",
              "arm",
              "386",
              "i386",
              "ppc64le",
              "ppc64le",
              "s390x",
              "s390x",
              "riscv64",
              "riscv64",
              "mips64le",
              "mips64el",
              "loong64",
              "loongarch64"));

  public static final Path BINFMT_MISC = Path.of("/proc/sys/fs/binfmt_misc");

  private final Path binfmtDir;
  private final String hostArch;

  /**
   * @param binfmtDir the binfmt_misc mount, normally {@link #BINFMT_MISC}
   * @param osArch the JVM's {@code os.arch}
   */
  public PlatformSupport(Path binfmtDir, String osArch) {
    this.binfmtDir = binfmtDir;
    this.hostArch = imageArch(osArch);
  }

  public static PlatformSupport ofThisHost() {
    return new PlatformSupport(BINFMT_MISC, System.getProperty("os.arch"));
  }

  /** {@code linux/<arch>} of this host. */
  public String hostPlatform() {
    return "linux/" + hostArch;
  }

  /**
   * The platforms emulated through binfmt_misc, e.g. {@code [linux/arm64]}; empty when none or not
   * mounted.
   */
  public List<String> emulated() {
    List<String> platforms = new ArrayList<>();
    for (Map.Entry<String, String> e : QEMU_NAMES.entrySet()) {
      if (!runsNatively(e.getKey()) && handlerEnabled(e.getValue())) {
        platforms.add("linux/" + e.getKey());
      }
    }
    return platforms;
  }

  /**
   * Fails when a platform of {@code platforms} is foreign to this host and has no enabled qemu
   * handler, naming the packages that provide one.
   */
  public void check(String property, String platforms) throws InvalidSettingException {
    for (String platform : platforms.split(",")) {
      String[] parts = platform.strip().split("/");
      String arch = parts[1];
      if (!parts[0].equals("linux") || runsNatively(arch)) {
        continue;
      }
      String qemu = QEMU_NAMES.getOrDefault(arch, arch);
      if (!handlerEnabled(qemu)) {
        throw new InvalidSettingException(
            property,
            platform.strip()
                + " is foreign to this "
                + hostPlatform()
                + " host and no qemu-"
                + qemu
                + " handler is enabled in "
                + binfmtDir
                + " (its RUN steps could not run)",
            "Install qemu-user-static and binfmt-support (Debian/Ubuntu: sudo apt-get install qemu-user-static "
                + "binfmt-support; if "
                + binfmtDir
                + " is empty, first sudo mount -t binfmt_misc binfmt_misc "
                + binfmtDir
                + "), or leave "
                + platform.strip()
                + " out of "
                + property
                + ".");
      }
    }
  }

  private boolean runsNatively(String arch) {
    return arch.equals(hostArch) || (hostArch.equals("amd64") && arch.equals("386"));
  }

  private boolean handlerEnabled(String qemuName) {
    if (!enabled(binfmtDir.resolve("status"))) {
      return false;
    }
    return enabled(binfmtDir.resolve("qemu-" + qemuName)) || enabled(binfmtDir.resolve(qemuName));
  }

  private static boolean enabled(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return !lines.isEmpty() && lines.get(0).strip().equals("enabled");
    } catch (IOException e) {
      return false;
    }
  }

  static String imageArch(String osArch) {
    String a = osArch.toLowerCase(Locale.ROOT);
    return switch (a) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> a;
    };
  }
}
