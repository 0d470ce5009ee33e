package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.engine.ContainerCliLocator;
import dev.nss.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * How the container CLI's processes are made and started: every argv goes through the process seam
 * ({@code ProcessBuilder::new} for real, a fake in tests) and runs in the work directory with the
 * goal's environment; a run's keeper is made the same way. A CLI that cannot be started or waited
 * for is reported by the command's name.
 */
final class CliProcesses {

  private final Function<List<String>, ProcessBuilder> processes;
  private final Path workDir;

  /**
   * Variables added to every command's environment (a private registry login location), shown in
   * the echo.
   */
  private final Map<String, String> environment;

  /**
   * @param processes makes the process for an argv
   * @param workDir the directory commands run in
   */
  CliProcesses(
      Function<List<String>, ProcessBuilder> processes,
      Path workDir,
      Map<String, String> environment) {
    this.processes = processes;
    this.workDir = workDir;
    this.environment = Map.copyOf(environment);
  }

  /** These processes with {@code variables} added to their environment. */
  CliProcesses withEnvironment(Map<String, String> variables) {
    Map<String, String> all = new LinkedHashMap<>(environment);
    all.putAll(variables);
    return new CliProcesses(processes, workDir, all);
  }

  /** The variables added to every command's environment. */
  Map<String, String> environment() {
    return environment;
  }

  /** The process of {@code argv}, not started. */
  ProcessBuilder prepare(List<String> argv) {
    return prepare(argv, argv);
  }

  /**
   * The process of the {@link RunKeeper} that runs {@code create}, not started: it gets the
   * create's environment, less the JVM options that its own JVM would announce on stderr. The
   * keeper ends a create that has not answered within {@code limit}.
   */
  ProcessBuilder keeper(List<String> create, Duration limit) {
    ProcessBuilder pb =
        prepare(RunKeeper.command(create.get(0), create, setsid(), limit), create)
            .redirectError(ProcessBuilder.Redirect.PIPE);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    return pb;
  }

  /**
   * @param argv what runs
   * @param command the CLI command whose environment it gets (a keeper gets its create's)
   */
  private ProcessBuilder prepare(List<String> argv, List<String> command) {
    ProcessBuilder pb = processes.apply(List.copyOf(argv));
    pb.directory(workDir.toFile());
    Map<String, String> env = pb.environment();
    env.putAll(environment);
    if (Engine.isDocker(command.get(0))) {
      env.put("DOCKER_BUILDKIT", "1");
      if (verb(command).equals("manifest")) {
        env.put("DOCKER_CLI_EXPERIMENTAL", "enabled"); // docker 20.10 hides `manifest` without it
      }
    }
    return pb;
  }

  /** Removes {@code container} until the engine no longer knows it ({@link ContainerRemoval}). */
  boolean removeUntilGone(String cli, String container) throws IOException, InterruptedException {
    return ContainerRemoval.untilGone(processes, workDir, cli, container);
  }

  static Process start(ProcessBuilder pb, List<String> argv) throws CommandFailedException {
    try {
      return pb.start();
    } catch (IOException e) {
      throw new CommandFailedException(
          "Could not start the container CLI `"
              + argv.get(0)
              + "` ("
              + e.getMessage()
              + "). Install docker or podman, or set -Dnss.containerCli to the CLI's path.",
          -1);
    }
  }

  /** The exit code of {@code process}; if the goal's thread is interrupted, stops it and fails. */
  static int waitFor(Process process, List<String> argv) throws CommandFailedException {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      BuildStop.stop(process, argv.get(0));
      Thread.currentThread().interrupt();
      throw new CommandFailedException(
          "Interrupted while running `" + command(argv) + "`; stopped it. Run the goal again.",
          130);
    }
  }

  /**
   * Runs a command with its output discarded; true when it exits 0 within {@code seconds}. An
   * interrupted thread starts nothing: {@link Process#waitFor(long, TimeUnit)} would not see the
   * interrupt once a quick command has ended.
   */
  static boolean exitsZero(ProcessBuilder pb, long seconds)
      throws IOException, InterruptedException {
    return exitCode(pb, seconds).orElse(-1) == 0;
  }

  /** {@link #exitsZero}'s exit code; none when the command was ended at the limit. */
  static OptionalInt exitCode(ProcessBuilder pb, long seconds)
      throws IOException, InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Process process =
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      return OptionalInt.empty();
    }
    return OptionalInt.of(process.exitValue());
  }

  /** Where {@code setsid} is on PATH (util-linux, on every Linux); null elsewhere. */
  static String setsid() {
    return ContainerCliLocator.findOnPath("setsid", System.getenv("PATH"))
        .map(Path::toString)
        .orElse(null);
  }

  /** The CLI's second word ({@code build}, {@code push}, ...), or "" when there is none. */
  static String verb(List<String> argv) {
    return argv.size() > 1 ? argv.get(1) : "";
  }

  /** The CLI and its verb, for messages: {@code docker build}. */
  static String command(List<String> argv) {
    return String.join(" ", argv.subList(0, Math.min(2, argv.size())));
  }
}
