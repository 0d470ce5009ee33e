package dev.nss.core;

/** Runs external commands; the seam unit tests replace with canned engine output. */
@FunctionalInterface
public interface CommandRunner {

  /**
   * Runs the command to completion or until its timeout, whichever comes first. Never throws for a
   * command that fails, cannot start or times out: that is in the result.
   *
   * @throws InterruptedException when the calling thread is interrupted; the process is destroyed
   *     first
   */
  CommandResult run(Command command) throws InterruptedException;
}
