package dev.nss.container;

import dev.nss.core.Streams;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A podman run's terminal output: passed on to Maven's stdout as it comes, and kept (up to {@link
 * #KEPT}) so that, once the run has ended, it can be compared with the container's log. Podman
 * 4.3's terminal attach can miss what a program prints just before it exits, while the log holds it
 * (docs/reliability.md). When what was passed on is exactly the start of the log, the rest of the
 * log is what the terminal missed: it is printed, so nothing is printed twice or out of order. In
 * any other case (more than {@link #KEPT} passed on, or the two differ) nothing is added.
 */
final class TerminalOutput {

  /** How much passed-on output is kept for the comparison; beyond it there is none. */
  static final int KEPT = 1 << 20;

  private final OutputStream to;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private boolean overflowed;

  /**
   * @param to Maven's stdout
   */
  TerminalOutput(OutputStream to) {
    this.to = to;
  }

  /** Passes {@code from} (the {@code start} client's stdout) on, on a daemon thread. */
  Thread pass(InputStream from, String name) {
    return Streams.copyInBackground(
        from,
        (buffer, length) -> {
          keep(buffer, length);
          try {
            to.write(buffer, 0, length);
            to.flush();
          } catch (IOException e) {
            // Maven's stdout is closed: nothing can be shown any more.
          }
        },
        "nss-stdout-" + name);
  }

  private synchronized void keep(byte[] buffer, int length) {
    if (overflowed || kept.size() + length > KEPT) {
      overflowed = true;
      kept.reset();
    } else {
      kept.write(buffer, 0, length);
    }
  }

  /** Whether a comparison with the log can tell what the terminal missed. */
  synchronized boolean comparable() {
    return !overflowed;
  }

  /**
   * Runs {@code logs} (the container's {@code podman logs}, its stdout piped) and prints what the
   * terminal missed ({@link #recover}). {@code logs} is ended after {@code limit}; any failure
   * leaves the output as it is.
   *
   * @return the number of bytes printed from the log
   */
  long recoverFrom(ProcessBuilder logs, Duration limit) {
    if (!comparable()) {
      return 0;
    }
    Process process;
    try {
      process =
          logs.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      return 0;
    }
    CompletableFuture.runAsync(
        process::destroyForcibly,
        CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS));
    try (InputStream log = process.getInputStream()) {
      return recover(log);
    } catch (IOException e) {
      return 0;
    } finally {
      process.destroy();
    }
  }

  /**
   * Reads the container's log ({@code podman logs}' stdout) and prints what follows the output
   * passed on, if that output is the log's start. Call once the pass-on thread has ended.
   *
   * @return the number of bytes printed from the log
   */
  long recover(InputStream log) throws IOException {
    byte[] passed;
    synchronized (this) {
      if (overflowed) {
        return 0;
      }
      passed = kept.toByteArray();
    }
    byte[] head = log.readNBytes(passed.length);
    if (!Arrays.equals(head, passed)) {
      return 0;
    }
    long printed = log.transferTo(to);
    to.flush();
    return printed;
  }
}
