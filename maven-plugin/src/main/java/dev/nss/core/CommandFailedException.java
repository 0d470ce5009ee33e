package dev.nss.core;

/** A container command that failed or could not start; the message says why and ends in the fix. */
public final class CommandFailedException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final boolean unanswered;

  public CommandFailedException(String message, int exitCode) {
    this(message, exitCode, false);
  }

  private CommandFailedException(String message, int exitCode, boolean unanswered) {
    super(message);
    this.exitCode = exitCode;
    this.unanswered = unanswered;
  }

  /** A command that did not answer within its limit and was stopped: the engine may be hung. */
  public static CommandFailedException unanswered(String message) {
    return new CommandFailedException(message, -1, true);
  }

  /** Whether the command did not answer within its limit ({@link #unanswered}). */
  public boolean unanswered() {
    return unanswered;
  }

  /** The CLI's exit code, or -1 when it did not start. */
  public int exitCode() {
    return exitCode;
  }
}
