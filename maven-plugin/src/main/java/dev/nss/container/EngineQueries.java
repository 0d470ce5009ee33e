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
import java.util.OptionalInt;
import java.util.function.Predicate;

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
  private final EngineAnswers answers;

  EngineQueries(CliProcesses processes, Duration limit, EngineAnswers answers) {
    this.processes = processes;
    this.limit = limit;
    this.answers = answers;
  }

  Duration limit() {
    return limit;
  }

  /**
   * Before a command of {@code cli} without a time limit (a build, push or pull): unless its engine
   * answered lately, asks it {@link EngineAnswers#question} (its exit code does not matter, only
   * that it answers). {@code announce} logs a command and is true in a dry run, which goes on as
   * the real one does after an answer.
   *
   * @throws CommandFailedException when it, or a command of {@code cli} lately, did not answer
   */
  void askBefore(String cli, Predicate<List<String>> announce) throws CommandFailedException {
    EngineAnswers.Known known = answers.known(cli);
    if (known != null && known.unanswered() != null) {
      throw CommandFailedException.unanswered(known.unanswered());
    }
    if (known == null) {
      List<String> question = EngineAnswers.question(cli);
      if (announce.test(question)) {
        answers.answered(cli);
      } else {
        run(question, new byte[0]);
      }
    }
  }

  /**
   * A build, push or pull of {@code argv} ended, however (in a dry run: was printed): its engine
   * answered.
   */
  void ended(List<String> argv) {
    if (EngineAnswers.isUnbounded(argv)) {
      answers.answered(argv.get(0));
    }
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
      String message = timedOut(argv, limit);
      answers.unanswered(argv.get(0), message);
      throw CommandFailedException.unanswered(message);
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
    if (EngineAnswers.showsAnswer(argv)) {
      answers.answered(argv.get(0));
    }
    return new ContainerCli.Output(argv, result.exitCode(), result.stdout(), result.stderr());
  }

  /**
   * True when {@code argv} exits 0 within the limit (its output discarded); one that did not answer
   * is remembered ({@link EngineAnswers}), so that the next build fails at once, naming it. Not
   * run, and false, while a command of its engine did not answer lately (a clean-up after that
   * failure would wait for a second limit).
   */
  boolean exitsZero(List<String> argv) throws InterruptedException {
    EngineAnswers.Known known = answers.known(argv.get(0));
    if (known != null && known.unanswered() != null) {
      return false;
    }
    try {
      OptionalInt exit = CliProcesses.exitCode(processes.prepare(argv), limit.toSeconds());
      if (exit.isEmpty()) {
        answers.unanswered(argv.get(0), timedOut(argv, limit));
      }
      return exit.orElse(-1) == 0;
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
