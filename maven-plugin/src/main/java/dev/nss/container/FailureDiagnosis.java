package dev.nss.container;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns a failed container command (exit code and the tail of its output) into a message that ends
 * in the fix. Each known failure is one {@link Rule} of {@link KnownFailures#RULES}, tried in
 * order: the first that matches explains the failure; a failure none matches gets {@link
 * KnownFailures#OTHERWISE}.
 */
public final class FailureDiagnosis {

  /** A failed call as the rules see it. */
  record Failure(
      String cli,
      String verb,
      List<String> argv,
      String container,
      int exitCode,
      String output,
      String dockerHost,
      boolean oomKilled) {

    /** The output in lower case, for messages whose case differs between clients. */
    String lower() {
      return output.toLowerCase(Locale.ROOT);
    }

    /** The last non-blank line of the output, stripped: often the client's own error. */
    String last() {
      return lastLine(output);
    }

    /** The exit code and which engine the CLI tried to reach. */
    String exitAndHost() {
      return "exit code "
          + exitCode
          + ", DOCKER_HOST="
          + (dockerHost == null ? "<unset>" : dockerHost);
    }

    /** The CLI and its verb, as the messages quote the call: {@code docker push}. */
    String call() {
      return cli + " " + verb;
    }
  }

  /**
   * One known failure: it matches a call whose verb is one of {@code verbs} (any verb when empty)
   * and whose exit code is one of {@code exitCodes} (any when empty), when {@code output} accepts
   * what the call printed; it explains it as the {@code cause}, then the {@code fix}.
   *
   * @param id names the rule in tests
   * @param fix empty when the cause is all there is to say
   */
  record Rule(
      String id,
      Set<String> verbs,
      Set<Integer> exitCodes,
      Predicate<Failure> output,
      Function<Failure, String> cause,
      Function<Failure, String> fix) {

    boolean matches(Failure f) {
      return (verbs.isEmpty() || verbs.contains(f.verb()))
          && (exitCodes.isEmpty() || exitCodes.contains(f.exitCode()))
          && output.test(f);
    }

    String message(Failure f) {
      String fixText = fix.apply(f);
      return cause.apply(f) + (fixText.isEmpty() ? "" : " " + fixText);
    }
  }

  private FailureDiagnosis() {}

  /**
   * @param name the container a run creates, else null
   */
  static String explain(
      List<String> argv, String name, int exitCode, String output, String dockerHost) {
    return explain(failure(argv, name, exitCode, output, dockerHost, false));
  }

  /**
   * @param oomKilled the engine recorded that the container was killed for lack of memory
   */
  static String explain(
      List<String> argv,
      String name,
      int exitCode,
      String output,
      String dockerHost,
      boolean oomKilled) {
    return explain(failure(argv, name, exitCode, output, dockerHost, oomKilled));
  }

  private static String explain(Failure failure) {
    return rule(failure).message(failure);
  }

  static Failure failure(
      List<String> argv,
      String name,
      int exitCode,
      String output,
      String dockerHost,
      boolean oomKilled) {
    String verb = argv.size() > 1 ? argv.get(1) : "";
    return new Failure(argv.get(0), verb, argv, name, exitCode, output, dockerHost, oomKilled);
  }

  /**
   * The cause and fix of a failed run of the container's program when a GPU or memory rule knows it
   * (for output read elsewhere, e.g. a Slurm job's), else empty.
   *
   * @param cli the container CLI that ran it
   */
  public static java.util.Optional<String> knownRunFailure(
      String cli, int exitCode, String output) {
    Failure failure = failure(List.of(cli, "run"), null, exitCode, output, null, false);
    return GpuFailures.RULES.stream()
        .filter(r -> r.matches(failure))
        .findFirst()
        .map(r -> r.message(failure));
  }

  /** The first rule that matches {@code failure}. */
  static Rule rule(Failure failure) {
    return KnownFailures.RULES.stream()
        .filter(r -> r.matches(failure))
        .findFirst()
        .orElse(KnownFailures.OTHERWISE);
  }

  /**
   * The engine's error line when the CLI failed before the container's program ran: docker prints
   * {@code docker: Error response from daemon: ...}, podman ends with {@code Error: ...}. Empty
   * when the output has neither.
   */
  static String engineError(String output) {
    for (String line : output.lines().toList()) {
      int at = line.indexOf("Error response from daemon: ");
      if (at >= 0) {
        return line.substring(at).strip();
      }
    }
    String last = lastLine(output);
    return last.startsWith("Error: ") ? last : "";
  }

  static String lastLine(String output) {
    List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  /**
   * Exit codes 129 to 192 are 128 + the number of the signal that ended the program (or the CLI
   * itself).
   */
  static boolean bySignal(int exitCode) {
    return exitCode > 128 && exitCode <= 128 + 64;
  }

  /** What ended the program, by {@code exitCode}; {@code cli} ran it (its stop is named). */
  static String signal(int exitCode, String cli) {
    if (!bySignal(exitCode)) {
      return "";
    }
    int n = exitCode - 128;
    String name =
        switch (n) {
          case 1 -> " (SIGHUP)";
          case 2 -> " (SIGINT)";
          case 3 -> " (SIGQUIT)";
          case 6 -> " (SIGABRT)";
          case 9 ->
              " (SIGKILL; often the out-of-memory killer, or `"
                  + Path.of(cli).getFileName()
                  + " stop` after its timeout)";
          case 11 -> " (SIGSEGV)";
          case 13 -> " (SIGPIPE)";
          case 15 -> " (SIGTERM)";
          default -> "";
        };
    return ": the program was ended by signal " + n + name;
  }
}
