package dev.nss.slurm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Follows a job's output files as they grow, passing each complete line on (like {@code tail -F}, by polling). */
final class OutputFollower {

  private static final int MAX_READ = 1 << 20;

  private final Consumer<String> log;
  private final Map<Path, Followed> files = new LinkedHashMap<>();

  OutputFollower(Consumer<String> log) {
    this.log = log;
  }

  /** Starts following {@code file} (once), prefixing its lines with {@code prefix}. */
  void follow(Path file, String prefix) {
    files.putIfAbsent(file, new Followed(prefix));
  }

  /** Passes on the complete lines written since the last call. */
  void poll() {
    files.forEach((file, followed) -> followed.read(file, false));
  }

  /** Passes on everything left, a last line without its newline included. */
  void drain() {
    files.forEach((file, followed) -> followed.read(file, true));
  }

  /** A file's read offset and its bytes after the last newline (decoded per line: UTF-8 never splits). */
  private final class Followed {
    private final String prefix;
    private long offset;
    private byte[] partial = new byte[0];

    Followed(String prefix) {
      this.prefix = prefix;
    }

    void read(Path file, boolean last) {
      if (Files.isRegularFile(file)) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
          long length = in.length();
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
}
