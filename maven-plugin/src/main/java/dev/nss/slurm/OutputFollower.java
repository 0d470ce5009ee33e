package dev.nss.slurm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows a job's output files as they grow, passing each complete line on (like {@code tail -F},
 * by polling). A file that already existed before the job was submitted (an earlier job's, when the
 * name repeats) is followed from its end, and from its start again once the job truncates it, so
 * that no earlier output is passed on as the job's.
 */
final class OutputFollower {

  private static final int MAX_READ = 1 << 20;

  private final Consumer<String> log;
  private final FileTime submitted;
  private final Map<Path, Followed> files = new LinkedHashMap<>();

  /**
   * @param submitted when the job was submitted: files last written before are an earlier job's
   */
  OutputFollower(Consumer<String> log, FileTime submitted) {
    this.log = log;
    this.submitted = submitted;
  }

  /** Starts following {@code file} (once), prefixing its lines with {@code prefix}. */
  void follow(Path file, String prefix) {
    files.computeIfAbsent(file, f -> new Followed(prefix, staleLength(f)));
  }

  /**
   * The length of an earlier job's file, to be skipped; 0 when the file is new or written since the
   * submission.
   */
  private long staleLength(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.lastModifiedTime().compareTo(submitted) < 0 ? a.size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Passes on the complete lines written since the last call. */
  void poll() {
    files.forEach((file, followed) -> followed.read(file, false));
  }

  /** Passes on everything left, a last line without its newline included. */
  void drain() {
    files.forEach((file, followed) -> followed.read(file, true));
  }

  /**
   * A file's read offset and its bytes after the last newline (decoded per line: UTF-8 never
   * splits).
   */
  private final class Followed {
    private final String prefix;
    private long offset;
    private byte[] partial = new byte[0];

    Followed(String prefix, long offset) {
      this.prefix = prefix;
      this.offset = offset;
    }

    void read(Path file, boolean last) {
      if (Files.isRegularFile(file)) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
          long length = in.length();
          if (length < offset) { // truncated: the job opened it
            offset = 0;
            partial = new byte[0];
          }
          while (offset < length) {
            byte[] bytes = new byte[(int) Math.min(MAX_READ, length - offset)];
            in.seek(offset);
            in.readFully(bytes);
            offset += bytes.length;
            emitLines(bytes);
          }
        } catch (IOException e) {
          log.accept(prefix + "(could not read " + file + ": " + e.getMessage() + ")");
        }
      }
      if (last && partial.length > 0) {
        log.accept(prefix + new String(partial, StandardCharsets.UTF_8));
        partial = new byte[0];
      }
    }

    private void emitLines(byte[] bytes) {
      byte[] all = new byte[partial.length + bytes.length];
      System.arraycopy(partial, 0, all, 0, partial.length);
      System.arraycopy(bytes, 0, all, partial.length, bytes.length);
      int start = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == '\n') {
          log.accept(prefix + new String(all, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      partial = java.util.Arrays.copyOfRange(all, start, all.length);
    }
  }

  /** The last {@code bytes} bytes of {@code file} as UTF-8 text; "" when it cannot be read. */
  static String tail(Path file, int bytes) {
    try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file)) {
      long size = ch.size();
      ch.position(Math.max(0, size - bytes));
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(bytes, size));
      while (buffer.hasRemaining() && ch.read(buffer) > 0) {
        // reads until full or at the end
      }
      return new String(
          buffer.array(), 0, buffer.position(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
