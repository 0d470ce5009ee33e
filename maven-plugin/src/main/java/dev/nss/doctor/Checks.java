package dev.nss.doctor;

import java.util.List;
import java.util.Optional;

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
}
