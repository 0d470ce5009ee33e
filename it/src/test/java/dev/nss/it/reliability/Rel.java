package dev.nss.it.reliability;

import dev.nss.it.ItEnv;
import dev.nss.it.MavenBuild;
import dev.nss.it.SampleProject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * This run's work dir (under the one failsafe hands in, see {@link ItEnv}) and a process runner
 * that keeps stdout and stderr as bytes.
 */
final class Rel {

  static final String DOCKER = "/usr/bin/docker";

  /**
   * This JVM's id: image tags, work dirs and the tests' sleep durations carry it, so overlapping
   * runs never meet.
   */
  static final String RUN_ID = Long.toHexString(ProcessHandle.current().pid());

  private Rel() {}

  static Path work() {
    return ItEnv.work().resolve("reliability-" + RUN_ID);
  }

  /** A file under it/src/test/resources/reliability. */
  /**
   * A fresh copy of the sample uv project with the repository's containers/ under {@link #work()},
   * driven through {@link #DOCKER}; the project directory is world-readable, since the container
   * (uid 1000) gets it as /workspace.
   */
  static SampleProject project(String caseName) {
    requireEngine();
    SampleProject p =
        SampleProject.fresh("safe-synthesizer", work().resolve(caseName), DOCKER)
            .withRepositoryContainers();
    try {
      Files.setPosixFilePermissions(p.dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /**
   * Copies the stand-in target it/src/test/resources/reliability/prog.py to rel/prog.py (so
   * /workspace/rel/prog.py in the container) and makes the agent exec it instead of
   * safe-synthesizer, through {@code nss.extraMounts} raw flags.
   */
  static SampleProject useProg(SampleProject project) {
    try {
      Path to = Files.createDirectories(project.dir().resolve("rel")).resolve("prog.py");
      Files.copy(resource("prog.py"), to, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return project.property("nss.extraMounts", "-e NSS_ENTRYPOINT_TARGET=/workspace/rel/prog.py");
  }

  /** {@code nss:run-gpu} of the prebuilt image without a GPU flag and without building. */
  static MavenBuild runGpu(SampleProject project) {
    return project
        .maven("nss:run-gpu")
        .property("nss.image", RelImage.runtime())
        .property("nss.skipBuild", "true")
        .property("nss.gpuFlag", "");
  }

  static Path resource(String name) {
    return ItEnv.root().resolve("it/src/test/resources/reliability").resolve(name);
  }

  private static Boolean engineAnswers;

  /**
   * The rows need the engine (and, for the private one, dockerd and root). Without them they are
   * skipped, unless {@code NSS_REQUIRE_ENGINE=1} (CI), which makes that a failure — the convention
   * of the other ITs.
   */
  static synchronized void requireEngine() {
    if (engineAnswers == null) {
      engineAnswers =
          Files.isExecutable(Path.of(DOCKER))
              && docker("version", "--format", "{{.Server.Version}}").exitCode() == 0;
    }
    require(
        engineAnswers, DOCKER + " cannot reach a container engine: start dockerd (see .ci/engine)");
  }

  static void require(boolean condition, String why) {
    if (condition) {
      return;
    }
    if ("1".equals(System.getenv("NSS_REQUIRE_ENGINE"))) {
      throw new AssertionError("NSS_REQUIRE_ENGINE=1 but " + why);
    }
    org.junit.jupiter.api.Assumptions.abort(why);
  }

  /**
   * Runs {@code /usr/bin/docker args...} against the machine's engine (or DOCKER_HOST in {@code
   * env}).
   */
  static Result docker(String... args) {
    return dockerAt(null, args);
  }

  static Result dockerAt(String dockerHost, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(DOCKER);
    argv.addAll(List.of(args));
    return dockerHost == null
        ? exec(argv, Map.of("DOCKER_BUILDKIT", "1"))
        : exec(argv, Map.of("DOCKER_BUILDKIT", "1", "DOCKER_HOST", dockerHost));
  }

  static Result exec(List<String> argv, Map<String, String> env) {
    return exec(argv, env, 600);
  }

  /** Runs to completion (killed after {@code guardSeconds}, a hang guard); stdin is closed. */
  static Result exec(List<String> argv, Map<String, String> env, int guardSeconds) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<byte[]> err = drain(p.getErrorStream());
      CompletableFuture<byte[]> out = drain(p.getInputStream());
      if (!p.waitFor(guardSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("still running after " + guardSeconds + " s: " + argv);
      }
      return new Result(argv, p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toByteArray();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        runnable -> new Thread(runnable).start());
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a container with this name exists on the machine's engine. */
  static boolean containerExists(String name) {
    return docker("container", "inspect", "--format", "{{.Id}}", name).exitCode() == 0;
  }

  /** Names of all containers, running or not, on an engine. */
  static List<String> allContainerNames(String dockerHost) {
    Result r = dockerAt(dockerHost, "ps", "-a", "--format", "{{.Names}}");
    if (r.exitCode() != 0) {
      throw new AssertionError("docker ps -a failed: " + r.err());
    }
    return r.out().lines().filter(l -> !l.isBlank()).toList();
  }

  /**
   * PIDs of the host's processes whose NUL-separated command line ({@code /proc/PID/cmdline})
   * matches.
   */
  static List<Long> processes(java.util.function.Predicate<String> cmdline) {
    List<Long> pids = new ArrayList<>();
    try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          if (cmdline.test(
              new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8))) {
            pids.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException gone) {
          // ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pids;
  }

  /**
   * A sleep duration in seconds unique to this run, so a test can find its own {@code sleep N}
   * processes.
   */
  static int uniqueSeconds(int k) {
    return 100_000 + (int) (ProcessHandle.current().pid() % 10_000) * 10 + k;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A finished process. */
  record Result(List<String> argv, int exitCode, byte[] stdout, byte[] stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    String err() {
      return new String(stderr, StandardCharsets.UTF_8);
    }

    String describe() {
      return argv + " exit " + exitCode + "\n--- stdout\n" + out() + "\n--- stderr\n" + err();
    }
  }
}
