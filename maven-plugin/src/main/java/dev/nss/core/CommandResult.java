package dev.nss.core;

import java.time.Duration;

/**
 * What a command did.
 *
 * @param exitCode its exit status; -1 when it timed out or could not start
 * @param stdout its standard output (UTF-8)
 * @param stderr its standard error (UTF-8), or why it could not start
 * @param timedOut true when it was destroyed after its timeout
 * @param timeout the timeout it ran under
 */
public record CommandResult(
    int exitCode, String stdout, String stderr, boolean timedOut, Duration timeout) {

  public static CommandResult exited(int exitCode, String stdout, String stderr) {
    return new CommandResult(exitCode, stdout, stderr, false, Duration.ZERO);
  }

  public static CommandResult timedOut(Duration timeout, String stdout, String stderr) {
    return new CommandResult(-1, stdout, stderr, true, timeout);
  }

  public static CommandResult notStarted(String why) {
    return new CommandResult(-1, "", why, false, Duration.ZERO);
  }

  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }

  /** The first non-blank line of stderr, else of stdout, for one-line reports. */
  public String firstErrorLine() {
    String line = firstLine(stderr);
    return line.isEmpty() ? firstLine(stdout) : line;
  }

  /** A one-line description of the failure: timeout, exit status and the first error line. */
  public String describeFailure() {
    if (timedOut) {
      boolean wholeSeconds = timeout.toMillis() % 1000 == 0;
      return "timed out after "
          + (wholeSeconds ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms");
    }
    String line = firstErrorLine();
    if (exitCode == -1) {
      return line;
    }
    return line.isEmpty() ? "exit status " + exitCode : line + " (exit status " + exitCode + ")";
  }

  public static String firstLine(String text) {
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        return line.strip();
      }
    }
    return "";
  }
}
