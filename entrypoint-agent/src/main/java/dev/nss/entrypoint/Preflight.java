package dev.nss.entrypoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The container checks, in the order the hints are printed (the GPU ones in {@link GpuCheck} and
 * {@link CudaDriver}). Each check returns exactly one {@link Finding}; none traverses a directory
 * tree or reads from anything but a regular file.
 */
final class Preflight {
  static final String WORKSPACE = "workspace";
  static final String HF_HOME = "hf-home";
  static final String SHM = "shm";
  static final String WORKSPACE_WRITABLE = "workspace-writable";

  static final String[] IDS = {
    WORKSPACE, HF_HOME, HfTokenCheck.ID, GpuCheck.ID, CudaDriver.ID, SHM, WORKSPACE_WRITABLE
  };

  static final String DEFAULT_WORKSPACE = "/workspace";
  static final String DEFAULT_SHM = "/dev/shm";
  static final String HF_CACHE_MOUNT = ".hf_cache";
  static final long SHM_MINIMUM_BYTES = 256L * 1024 * 1024;

  /**
   * The image's appuser: the uid a container runs as unless --user (or nss.user) says otherwise.
   */
  static final long IMAGE_UID = 1000;

  private final Map<String, String> env;
  private final Host host;
  private final Path devDir;
  private final Engine engine;

  Preflight(Map<String, String> env, Host host, Path devDir) {
    this.env = env;
    this.host = host;
    this.devDir = devDir;
    this.engine = host.engine(env.get("container"));
  }

  List<Finding> runAll() {
    List<Finding> findings = new ArrayList<>(IDS.length);
    for (String id : IDS) {
      long start = System.nanoTime();
      Finding finding;
      try {
        finding = run(id);
      } catch (IOException | RuntimeException e) {
        finding =
            new Finding(
                id,
                Level.HINT,
                "the "
                    + id
                    + " check could not run ("
                    + Messages.describe(e)
                    + "); starting anyway. Fix: nothing is required; set -e NSS_PREFLIGHT=off to skip the checks.");
      }
      finding.durationNanos = System.nanoTime() - start;
      findings.add(finding);
    }
    return findings;
  }

  Finding run(String id) throws IOException {
    switch (id) {
      case WORKSPACE:
        return workspace();
      case HF_HOME:
        return hfHome();
      case HfTokenCheck.ID:
        return HfTokenCheck.check(env, engine);
      case GpuCheck.ID:
        return GpuCheck.check(env, devDir, engine);
      case CudaDriver.ID:
        return CudaDriver.check(env, devDir);
      case SHM:
        return shm();
      case WORKSPACE_WRITABLE:
        return workspaceWritable();
      default:
        throw new IllegalArgumentException("unknown check " + id);
    }
  }

  Path workspacePath() {
    return Path.of(valueOr("NSS_WORKSPACE", DEFAULT_WORKSPACE));
  }

  Finding workspace() throws IOException {
    Path ws = workspacePath();
    String mountFix =
        "Fix: "
            + engine.run()
            + " -v /absolute/path/to/your/project:"
            + ws
            + " ... (for the current directory: -v \"$(pwd)\":"
            + ws
            + ")";
    if (!Files.isDirectory(ws)) {
      return new Finding(
          WORKSPACE,
          Level.WARNING,
          ws
              + " does not exist: no data or config is mounted and outputs are lost when the container exits. "
              + mountFix);
    }
    if (!hasContent(ws)) {
      return new Finding(
          WORKSPACE,
          Level.WARNING,
          ws
              + " is empty (a "
              + HF_CACHE_MOUNT
              + " cache mount alone does not count): no data or config is mounted. "
              + mountFix);
    }
    return new Finding(WORKSPACE, Level.OK, ws + " has content");
  }

  /**
   * Reads the first entry only, or the second when the first is the HF cache mount point: that one
   * alone does not make a workspace.
   */
  static boolean hasContent(Path dir) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return anyButHfCache(entries);
    }
  }

  /** Names are unique, so this reads two entries at most. */
  private static boolean anyButHfCache(Iterable<Path> entries) {
    for (Path entry : entries) {
      if (!HF_CACHE_MOUNT.equals(entry.getFileName().toString())) {
        return true;
      }
    }
    return false;
  }

  Finding hfHome() {
    String hfHome = value("HF_HOME");
    if (hfHome == null) {
      return new Finding(
          HF_HOME,
          Level.HINT,
          "HF_HOME is not set: downloaded models stay inside the container and are fetched again next run. "
              + "Fix: "
              + engine.run()
              + " -v \"$HOME/.cache/huggingface\":/workspace/.hf_cache -e HF_HOME=/workspace/.hf_cache ... "
              + "(mvn nss:run-gpu does this; -Dnss.hfCache=/absolute/cache/dir)");
    }
    Path dir = Path.of(hfHome);
    if (!Files.isDirectory(dir)) {
      return new Finding(
          HF_HOME,
          Level.WARNING,
          "HF_HOME="
              + hfHome
              + " is not an existing directory: downloads are lost when the container exits. "
              + "Fix: "
              + engine.run()
              + " -v \"$HOME/.cache/huggingface\":"
              + hfHome
              + " ...");
    }
    if (!host.isWritable(dir)) {
      return new Finding(
          HF_HOME,
          Level.WARNING,
          "HF_HOME="
              + hfHome
              + " is not writable by "
              + who()
              + ": model downloads will fail. "
              + ownershipFix("host cache dir"));
    }
    return new Finding(HF_HOME, Level.OK, "HF_HOME=" + hfHome + " is a writable directory");
  }

  Finding shm() throws IOException {
    Path shm = Path.of(valueOr("NSS_SHM_PATH", DEFAULT_SHM));
    String fix = shmFix(engine);
    if (!Files.isDirectory(shm)) {
      return new Finding(
          SHM, Level.WARNING, shm + " does not exist: PyTorch workers need shared memory. " + fix);
    }
    return shmFinding(shm, host.totalSpace(shm), engine);
  }

  private static String shmFix(Engine engine) {
    return "Fix: "
        + engine.run()
        + " --shm-size=1g ... or --ipc=host (mvn nss:run-gpu: -Dnss.shmSize=1g)";
  }

  static Finding shmFinding(Path shm, long totalBytes, Engine engine) {
    if (totalBytes < SHM_MINIMUM_BYTES) {
      return new Finding(
          SHM,
          Level.WARNING,
          shm
              + " is only "
              + (totalBytes / (1024 * 1024))
              + " MB (256 MB or more needed): PyTorch data loaders will crash with bus errors. "
              + shmFix(engine));
    }
    return new Finding(SHM, Level.OK, shm + " is " + (totalBytes / (1024 * 1024)) + " MB");
  }

  Finding workspaceWritable() {
    Path ws = workspacePath();
    if (!Files.isDirectory(ws)) {
      return new Finding(WORKSPACE_WRITABLE, Level.OK, ws + " does not exist (reported above)");
    }
    if (!host.isWritable(ws)) {
      return new Finding(
          WORKSPACE_WRITABLE,
          Level.WARNING,
          ws
              + " is not writable by "
              + who()
              + ": outputs cannot be saved. "
              + ownershipFix("host dir"));
    }
    return new Finding(WORKSPACE_WRITABLE, Level.OK, ws + " is writable");
  }

  private String who() {
    long uid = host.uid();
    return uid < 0 ? "the current user" : "uid " + uid;
  }

  /**
   * How to make a mounted host directory writable for the container. A fix never repeats what was
   * passed: a container that already runs as another uid than the image's was given --user (or
   * nss.user), so only the directory's owner is left to change, and it is changed to the
   * container's uid, not to $(id -u), which is 0 on a root host.
   */
  private String ownershipFix(String hostDir) {
    long uid = host.uid();
    String chown = host.rootless() ? "podman unshare chown -R " : "sudo chown -R ";
    if (uid < 0) {
      return "Fix: mvn nss:run-gpu -Dnss.user=auto, or "
          + engine.run()
          + " --user $(id -u):$(id -g) ...";
    }
    if (uid == 0) {
      return "Fix: root cannot write it, so the mount is read-only or the host refuses root: mount it"
          + " read-write (no :ro) from a directory the engine's root may write";
    }
    long gid = host.gid();
    String owner = uid + ":" + (gid < 0 ? uid : gid);
    if (uid != IMAGE_UID) {
      return "Fix: the container already runs as uid "
          + uid
          + "; make the directory writable for it"
          + " on the host: "
          + chown
          + owner
          + " <"
          + hostDir
          + ">";
    }
    return "Fix: mvn nss:run-gpu -Dnss.user=auto (the container runs as your host user), or "
        + engine.run()
        + " --user $(id -u):$(id -g) ..., or give the host directory to the"
        + " container's uid: "
        + chown
        + owner
        + " <"
        + hostDir
        + ">";
  }

  private String value(String name) {
    return value(env, name);
  }

  private String valueOr(String name, String fallback) {
    return valueOr(env, name, fallback);
  }

  /** The variable's value, or null when it is unset or blank. */
  static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  static String valueOr(Map<String, String> env, String name, String fallback) {
    String v = value(env, name);
    return v == null ? fallback : v;
  }
}
