package dev.nss.core;

/** A container command that failed or could not start; the message says why and ends in the fix. */
public final class CommandFailedException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public CommandFailedException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The CLI's exit code, or -1 when it did not start. */
  public int exitCode() {
    return exitCode;
  }
}
