package dev.nss.core;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.function.Consumer;

/**
 * The one pump for a child process's output: reads a stream to its end, hands on each piece it
 * reads (a chunk of bytes as it comes, or a line), then closes the stream. A read error ends the
 * copy after the close, on the caller's thread as an {@link IOException}, on a pump thread of its
 * own quietly (the process has ended).
 */
public final class Streams {

  private static final int BUFFER = 8192;

  private Streams() {}

  /** Receives each chunk read: the first {@code length} bytes of {@code buffer}, reused after. */
  @FunctionalInterface
  public interface Chunks {
    void accept(byte[] buffer, int length);
  }

  /** Copies {@code from} to its end, chunk by chunk as the bytes come, then closes it. */
  public static void copy(InputStream from, Chunks to) throws IOException {
    byte[] buffer = new byte[BUFFER];
    pump(
        from,
        () -> {
          int n = from.read(buffer);
          return n == -1 ? null : n;
        },
        n -> to.accept(buffer, n));
  }

  /**
   * Copies {@code from} to its end line by line (split as {@link BufferedReader#readLine} splits),
   * then closes it.
   */
  public static void lines(InputStream from, Charset charset, Consumer<String> to)
      throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(from, charset));
    pump(reader, reader::readLine, to);
  }

  /** {@link #copy} on a daemon thread of its own, started; it ends with the stream. */
  public static Thread copyInBackground(InputStream from, Chunks to, String threadName) {
    Thread thread =
        new Thread(
            () -> {
              try {
                copy(from, to);
              } catch (IOException e) {
                // The process ended: what was read has been handed on.
              }
            },
            threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Reads one piece; null at the end of the stream. */
  private interface Read<T> {
    T next() throws IOException;
  }

  private static <T> void pump(Closeable source, Read<T> read, Consumer<T> to) throws IOException {
    try (source) {
      for (T piece = read.next(); piece != null; piece = read.next()) {
        to.accept(piece);
      }
    }
  }
}
