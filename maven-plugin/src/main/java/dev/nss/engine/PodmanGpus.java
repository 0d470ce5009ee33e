package dev.nss.engine;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPUs on podman, shared by the run goals and the doctor so that both say the same. Podman before 5
 * accepts {@code --gpus} and silently starts the container without GPUs; it gives GPUs through CDI
 * devices ({@code --device nvidia.com/gpu=all}), which need a CDI spec from the NVIDIA Container
 * Toolkit.
 */
public final class PodmanGpus {

  /** Where podman reads CDI specs. */
  public static final List<String> CDI_DIRS = List.of("/etc/cdi", "/var/run/cdi");

  public static final String CDI_KIND = "nvidia.com/gpu";
  public static final String GENERATE_SPEC =
      "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml";

  private static final Pattern COUNT = Pattern.compile("[0-9]+");
  private static final Pattern DEVICES = Pattern.compile("\"?device=([0-9A-Za-z,:-]+)\"?");
  private static final long MAX_SPEC_BYTES = 16 << 20;

  private PodmanGpus() {}

  /**
   * Whether a podman of this version ({@code podman version}, e.g. {@code 4.3.1}) ignores {@code
   * --gpus}.
   */
  public static boolean ignoresGpusFlag(String version) {
    String major = version.strip().split("\\.", 2)[0];
    try {
      return Integer.parseInt(major) < 5;
    } catch (NumberFormatException e) {
      return false; // unknown: a current one
    }
  }

  /**
   * The GPU flags to pass to a podman of {@code version}: before 5, {@code --gpus} turned into CDI
   * devices ({@link #toCdi}); else as given.
   */
  public static List<String> flagsFor(String version, List<String> flags)
      throws InvalidSettingException {
    return ignoresGpusFlag(version) && hasGpusFlag(flags) ? toCdi(flags) : flags;
  }

  /** Whether the flags contain {@code --gpus} (as {@code --gpus V} or {@code --gpus=V}). */
  public static boolean hasGpusFlag(List<String> flags) {
    return flags.stream().anyMatch(f -> f.equals("--gpus") || f.startsWith("--gpus="));
  }

  /**
   * The flags with each {@code --gpus all}, {@code --gpus N} (the first N GPUs) and {@code --gpus
   * device=I,J} turned into CDI devices; other flags unchanged.
   *
   * @throws InvalidSettingException for a {@code --gpus} value with no CDI equivalent (e.g.
   *     capabilities)
   */
  public static List<String> toCdi(List<String> flags) throws InvalidSettingException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < flags.size(); i++) {
      String flag = flags.get(i);
      String value;
      if (flag.equals("--gpus") && i + 1 < flags.size()) {
        value = flags.get(++i);
      } else if (flag.startsWith("--gpus=")) {
        value = flag.substring("--gpus=".length());
      } else {
        out.add(flag);
        continue;
      }
      for (String device : devices(value)) {
        out.add("--device");
        out.add(CDI_KIND + "=" + device);
      }
    }
    return out;
  }

  private static List<String> devices(String value) throws InvalidSettingException {
    String v = value.strip();
    if (v.equals("all")) {
      return List.of("all");
    }
    if (COUNT.matcher(v).matches()) {
      List<String> first = new ArrayList<>();
      for (int n = 0; n < Integer.parseInt(v); n++) {
        first.add(Integer.toString(n));
      }
      return first;
    }
    Matcher m = DEVICES.matcher(v);
    if (m.matches()) {
      return List.of(m.group(1).split(","));
    }
    throw new InvalidSettingException(
        PropertyNames.GPU_FLAG,
        "--gpus "
            + value
            + " has no CDI form for podman, which "
            + "ignores --gpus before version 5",
        "Name the CDI devices, e.g. -D"
            + PropertyNames.GPU_FLAG
            + "=--device="
            + CDI_KIND
            + "=all (or -D"
            + PropertyNames.GPU_FLAG
            + "= to run without a GPU).");
  }

  /** Whether the flags ask podman for NVIDIA CDI devices, which need a spec. */
  public static boolean requestsCdiGpus(List<String> flags) {
    for (int i = 0; i < flags.size(); i++) {
      String f = flags.get(i);
      String device =
          f.equals("--device") && i + 1 < flags.size()
              ? flags.get(i + 1)
              : f.startsWith("--device=") ? f.substring("--device=".length()) : "";
      if (device.startsWith(CDI_KIND + "=")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The CDI spec files in {@code dirs} that declare NVIDIA GPUs, as {@code dir/file} names.
   *
   * @param hostPath maps an absolute host path to where it can be read (the real path; a test root
   *     in tests)
   */
  public static List<String> nvidiaCdiSpecs(List<String> dirs, Function<String, Path> hostPath) {
    Set<String> specs = new LinkedHashSet<>();
    for (String dir : dirs) {
      Path hostDir = hostPath.apply(dir);
      if (!Files.isDirectory(hostDir)) {
        continue;
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(hostDir, "*.{yaml,yml,json}")) {
        for (Path file : files) {
          if (declaresNvidiaGpus(file)) {
            specs.add(dir + "/" + file.getFileName());
          }
        }
      } catch (IOException e) {
        // An unreadable spec dir is as good as none.
      }
    }
    return new ArrayList<>(specs);
  }

  /** What is missing when the flags need an NVIDIA CDI spec and none exists. */
  public static String noSpecIn(List<String> dirs) {
    return "no NVIDIA CDI spec (" + CDI_KIND + ") in " + String.join(" or ", dirs);
  }

  /** The fix for {@link #noSpecIn}. */
  public static String noSpecFix() {
    return "Install the NVIDIA Container Toolkit and generate the spec: "
        + GENERATE_SPEC
        + " (or run without a GPU: -D"
        + PropertyNames.GPU_FLAG
        + "=).";
  }

  private static boolean declaresNvidiaGpus(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes((int) MAX_SPEC_BYTES);
      return new String(head, StandardCharsets.UTF_8).contains(CDI_KIND);
    } catch (IOException e) {
      return false;
    }
  }
}
