package dev.nss.container;

import dev.nss.core.Command;
import dev.nss.core.CommandFailedException;
import dev.nss.core.CommandResult;
import dev.nss.core.ProcessCommandRunner;
import dev.nss.core.PropertyNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The engine commands that must answer within {@code nss.engineTimeout}: queries ({@code version},
 * {@code info}, {@code image inspect}), probes and the registry login. They run through the one
 * command runner seam ({@link ProcessCommandRunner}, made on {@link CliProcesses}), which ends a
 * command that overruns, with its descendants. Builds, pushes, pulls and the run itself take as
 * long as they take: Ctrl-C stops them.
 */
final class EngineQueries {

  private final CliProcesses processes;
  private final Duration limit;

  EngineQueries(CliProcesses processes, Duration limit) {
    this.processes = processes;
    this.limit = limit;
  }

  Duration limit() {
    return limit;
  }

  /**
   * Runs {@code argv} with {@code stdin} (empty: none) written to it; what it printed and its exit
   * code.
   *
   * @throws CommandFailedException when it did not answer within the limit (it was ended), could
   *     not start, or the goal was interrupted
   */
  ContainerCli.Output run(List<String> argv, byte[] stdin) throws CommandFailedException {
    Command command = new Command(argv, Map.of(), new String(stdin, StandardCharsets.UTF_8), limit);
    CommandResult result;
    try {
      result = new ProcessCommandRunner(processes::prepare).run(command);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException(
          "Interrupted while running `"
              + CliProcesses.command(argv)
              + "`; stopped it. Run the goal again.",
          130);
    }
    if (result.timedOut()) {
      throw CommandFailedException.unanswered(timedOut(argv, limit));
    }
    if (result.exitCode() == -1) { // exit codes are 0..255: -1 is a CLI that could not start
      throw new CommandFailedException(
          "Could not start the container CLI `"
              + argv.get(0)
              + "` ("
              + result.stderr()
              + "). Install docker or podman, or set -Dnss.containerCli to the CLI's path.",
          -1);
    }
    return new ContainerCli.Output(argv, result.exitCode(), result.stdout(), result.stderr());
  }

  /** True when {@code argv} exits 0 within the limit (its output discarded). */
  boolean exitsZero(List<String> argv) throws InterruptedException {
    try {
      return CliProcesses.exitsZero(processes.prepare(argv), limit.toSeconds());
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * The failure of an engine command that did not answer within {@code limit}: which command, what
   * it means, and the setting that raises the limit.
   */
  static String timedOut(List<String> argv, Duration limit) {
    return "`"
        + CliProcesses.command(argv)
        + "` did not answer within "
        + limit.toSeconds()
        + " s, so it was stopped: the engine is hung or overloaded (does `"
        + argv.get(0)
        + " info` answer?). If it is only slow, raise -D"
        + PropertyNames.ENGINE_TIMEOUT
        + "=SECONDS.";
  }
}
