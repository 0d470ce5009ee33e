package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.Streams;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last few KiB of a command's output, enough to recognise engine errors when it fails ({@link
 * FailureDiagnosis}). A part that alone is longer is kept whole. A pump thread adds while the
 * goal's thread reads.
 */
final class OutputTail {

  private static final int LIMIT = 16 * 1024;

  private final Deque<String> parts = new ArrayDeque<>();
  private int size;

  synchronized void add(String part) {
    parts.addLast(part);
    size += part.length();
    while (size > LIMIT && parts.size() > 1) {
      size -= parts.removeFirst().length();
    }
  }

  /**
   * Passes {@code from} (a command's stderr) on to {@code to} as it comes, on a daemon thread,
   * keeping its tail here.
   *
   * @param name the container, for the thread's name
   */
  Thread tee(InputStream from, PrintStream to, String name) {
    return Streams.copyInBackground(
        from,
        (buffer, length) -> {
          to.write(buffer, 0, length);
          to.flush();
          add(new String(buffer, 0, length, Charset.defaultCharset()));
        },
        "nss-stderr-" + name);
  }

  /**
   * Fails with the diagnosis of this output unless {@code exitCode} is 0.
   *
   * @param name the container a run creates, else null
   * @param dockerHost the DOCKER_HOST of Maven's environment, for the unreachable-engine message
   */
  void check(List<String> argv, String name, int exitCode, String dockerHost)
      throws CommandFailedException {
    check(argv, name, exitCode, dockerHost, false);
  }

  /**
   * @param oomKilled the engine recorded an out-of-memory kill of the container ({@link OomKills})
   */
  void check(List<String> argv, String name, int exitCode, String dockerHost, boolean oomKilled)
      throws CommandFailedException {
    if (exitCode != 0) {
      throw new CommandFailedException(
          FailureDiagnosis.explain(argv, name, exitCode, toString(), dockerHost, oomKilled),
          exitCode);
    }
  }

  @Override
  public synchronized String toString() {
    return String.join("", parts);
  }
}
