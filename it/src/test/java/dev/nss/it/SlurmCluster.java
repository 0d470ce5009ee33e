package dev.nss.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A private one-node Slurm cluster with two fake GPUs (it/slurm/one-node-cluster.sh): own config
 * through {@code SLURM_CONF}, own munge key and socket, ports, state, spool and logs; its daemons
 * are stopped by PID.
 */
final class SlurmCluster implements AutoCloseable {

  private static final Path SCRIPT = ItEnv.root().resolve("it/slurm/one-node-cluster.sh");

  private final Path dir;

  private SlurmCluster(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts a cluster in {@code dir}. Without Slurm installed the calling tests are skipped, unless
   * {@code NSS_REQUIRE_ENGINE=1} (CI), which makes that a failure.
   */
  static SlurmCluster start(Path dir) {
    if (!Files.isExecutable(Path.of("/usr/sbin/slurmctld"))
        || !Files.isExecutable(Path.of("/usr/sbin/munged"))) {
      String why = "slurm-wlm and munge are not installed (see .ci/engine install)";
      if ("1".equals(System.getenv("NSS_REQUIRE_ENGINE"))) {
        throw new AssertionError("NSS_REQUIRE_ENGINE=1 but " + why);
      }
      Assumptions.abort(why);
    }
    SampleProject.delete(dir);
    Result started = run("start", dir);
    if (started.exitCode != 0) {
      run("stop", dir);
      throw new AssertionError("the Slurm cluster did not start:\n" + started.output);
    }
    return new SlurmCluster(dir);
  }

  /** The environment that points the Slurm commands (and the goal) at this cluster. */
  Map<String, String> env() {
    return Map.of("SLURM_CONF", conf().toString());
  }

  Path conf() {
    return dir.resolve("slurm.conf");
  }

  /** A config for this cluster's host whose controller port nobody listens on: slurmctld "down". */
  Path downConf() {
    try {
      String conf = Files.readString(conf(), StandardCharsets.UTF_8);
      Path down = dir.resolve("down.conf");
      Files.writeString(
          down,
          conf.replaceAll("(?m)^SlurmctldPort=\\d+", "SlurmctldPort=1"),
          StandardCharsets.UTF_8);
      return down;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs a Slurm command against this cluster (bounded); returns its stdout and stderr together.
   */
  String slurm(String... argv) {
    List<String> command = new ArrayList<>(List.of("timeout", "20"));
    command.addAll(List.of(argv));
    return exec(command, env()).output;
  }

  /** {@code scontrol show job ID}'s {@code Key=Value}, or "" when the job or the key is unknown. */
  String jobField(String jobId, String key) {
    for (String token : slurm("scontrol", "show", "job", jobId).split("\\s+")) {
      if (token.startsWith(key + "=")) {
        return token.substring(key.length() + 1);
      }
    }
    return "";
  }

  @Override
  public void close() {
    Result stopped = run("stop", dir);
    if (stopped.exitCode != 0) {
      throw new AssertionError("the Slurm cluster did not stop:\n" + stopped.output);
    }
  }

  private static Result run(String command, Path dir) {
    return exec(List.of("bash", SCRIPT.toString(), command, dir.toString()), Map.of());
  }

  private record Result(int exitCode, String output) {}

  private static Result exec(List<String> argv, Map<String, String> env) {
    try {
      Path out = Files.createTempFile("nss-slurm-it", ".out");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Result(-1, "timed out: " + argv);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
