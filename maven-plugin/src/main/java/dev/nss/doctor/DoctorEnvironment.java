package dev.nss.doctor;

import dev.nss.core.CommandRunner;
import dev.nss.core.ProcessCommandRunner;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Map;

/**
 * Where the doctor looks: the environment variables, the command runner, OSHI, the file system root
 * under which {@code /proc}, {@code /dev/shm}, {@code /etc/cdi} and {@code /usr/local/nvidia/bin}
 * are read (a temp dir in tests), and the clock that dates cached probe results.
 */
public final class DoctorEnvironment {

  private final Map<String, String> env;
  private final CommandRunner runner;
  private final HostHardware hardware;
  private final Path root;
  private final Path tmpDir;
  private final Clock clock;

  public DoctorEnvironment(
      Map<String, String> env,
      CommandRunner runner,
      HostHardware hardware,
      Path root,
      Path tmpDir) {
    this(env, runner, hardware, root, tmpDir, Clock.systemUTC());
  }

  public DoctorEnvironment(
      Map<String, String> env,
      CommandRunner runner,
      HostHardware hardware,
      Path root,
      Path tmpDir,
      Clock clock) {
    this.env = Map.copyOf(env);
    this.runner = runner;
    this.hardware = hardware;
    this.root = root;
    this.tmpDir = tmpDir;
    this.clock = clock;
  }

  /** This machine: the process environment, real processes, OSHI and {@code /}. */
  public static DoctorEnvironment system() {
    return system(System.getenv());
  }

  /** This machine with the given environment variables. */
  public static DoctorEnvironment system(Map<String, String> env) {
    return new DoctorEnvironment(
        env,
        new ProcessCommandRunner(),
        new OshiHostHardware(),
        Paths.get("/"),
        Paths.get(System.getProperty("java.io.tmpdir")));
  }

  public Map<String, String> env() {
    return env;
  }

  /** An environment variable, or "" when unset. */
  public String env(String name) {
    String value = env.get(name);
    return value == null ? "" : value;
  }

  public CommandRunner runner() {
    return runner;
  }

  public HostHardware hardware() {
    return hardware;
  }

  /** Resolves an absolute host path such as {@code /proc/driver/nvidia} against the root. */
  public Path hostPath(String absolute) {
    String relative = absolute.startsWith("/") ? absolute.substring(1) : absolute;
    return relative.isEmpty() ? root : root.resolve(relative);
  }

  public Path tmpDir() {
    return tmpDir;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * The user's cache directory for nss: {@code $XDG_CACHE_HOME/nss} when that is an absolute path
   * (the XDG base directory rule), else {@code $HOME/.cache/nss}, else {@code
   * ${user.home}/.cache/nss}.
   */
  public Path cacheDir() {
    String xdg = env("XDG_CACHE_HOME");
    if (!xdg.isBlank() && Paths.get(xdg).isAbsolute()) {
      return Paths.get(xdg, "nss");
    }
    String home = env("HOME").isBlank() ? System.getProperty("user.home") : env("HOME");
    return Paths.get(home, ".cache", "nss");
  }
}
