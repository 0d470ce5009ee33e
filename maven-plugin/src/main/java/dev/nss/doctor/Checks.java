package dev.nss.doctor;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Every check, in report order. The ids are stable: they are settings and JSON keys. */
public final class Checks {

  private static final List<Check> ALL =
      List.of(
          new CliCheck(),
          new EngineCheck(),
          new BuildKitCheck(),
          new BuildxCheck(),
          new PlatformsCheck(),
          new NvidiaRuntimeCheck(),
          new GpuCheck(),
          new CudaDriverCheck(),
          new GpuArchCheck(),
          new GpuMemoryCheck(),
          new NvmlCheck(),
          new CdiGpusCheck(),
          new HfCacheCheck(),
          new HfTokenCheck(),
          new DiskCheck(),
          new MemoryCheck(),
          new OrphanCheck(),
          new SlurmCheck());

  private Checks() {}

  public static List<Check> all() {
    return ALL;
  }

  /**
   * Checks that run only when named, or when their goal's settings are in use (see {@link
   * DoctorSettings}).
   */
  static boolean optIn(String id) {
    return id.equals("slurm");
  }

  public static List<String> ids() {
    return ALL.stream().map(Check::id).toList();
  }

  public static Optional<Check> byId(String id) {
    return ALL.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /** Checks that read the engine's {@code info}. */
  static boolean needsEngine(String id) {
    return id.equals("engine")
        || id.equals("buildkit")
        || id.equals("nvidia-runtime")
        || id.equals("disk");
  }

  /**
   * The check ids {@code text} names (comma-separated), in report order; when it names none, all
   * but the opt-in ones not in use.
   */
  static List<String> select(String text, boolean slurm, DoctorSettings.Spelling spelling)
      throws InvalidSettingException {
    List<String> valid = ids();
    if (text == null || text.isBlank()) {
      return valid.stream().filter(id -> !optIn(id) || slurm).toList();
    }
    Set<String> wanted = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (String part : text.split(",")) {
      String id = part.strip();
      if (id.isEmpty()) {
        continue;
      }
      if (valid.contains(id)) {
        wanted.add(id);
      } else {
        unknown.add(id);
      }
    }
    if (!unknown.isEmpty()) {
      String property = PropertyNames.DOCTOR_CHECKS;
      throw new InvalidSettingException(
          spelling.name(property),
          "unknown check id(s): " + String.join(", ", unknown),
          "Valid ids: "
              + String.join(", ", valid)
              + "; e.g. "
              + spelling.example(property, "engine,gpu")
              + ".");
    }
    return valid.stream().filter(wanted::contains).toList();
  }
}
