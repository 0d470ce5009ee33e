package dev.nss.entrypoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The program arguments as the kernel holds them. The JVM decodes argv with the locale's charset,
 * so under the POSIX locale of most containers every non-ASCII byte would come out as U+FFFD;
 * /proc/self/cmdline still has the exact bytes, and its last N entries are the N arguments.
 */
final class RawArgs {
  private RawArgs() {}

  static List<byte[]> of(String[] args) {
    try {
      List<byte[]> raw =
          lastEntries(Files.readAllBytes(Path.of("/proc/self/cmdline")), args.length);
      if (raw != null && consistent(raw, args)) {
        return raw;
      }
    } catch (IOException | RuntimeException e) {
      // No /proc: fall back to the decoded strings below.
    }
    return encoded(args);
  }

  static List<byte[]> encoded(String[] args) {
    List<byte[]> list = new ArrayList<>(args.length);
    for (String arg : args) {
      list.add(arg.getBytes(StandardCharsets.UTF_8));
    }
    return list;
  }

  /** Splits NUL-terminated entries and returns the last {@code n}, or null if there are fewer. */
  static List<byte[]> lastEntries(byte[] cmdline, int n) {
    int end = cmdline.length;
    if (end > 0 && cmdline[end - 1] == 0) {
      end--; // the terminator of the last entry
    }
    byte[][] picked = new byte[n][];
    for (int k = n - 1; k >= 0; k--) {
      if (end < 0) {
        return null;
      }
      int start = end;
      while (start > 0 && cmdline[start - 1] != 0) {
        start--;
      }
      byte[] entry = new byte[end - start];
      System.arraycopy(cmdline, start, entry, 0, entry.length);
      picked[k] = entry;
      end = start - 1; // skip the NUL before this entry
    }
    List<byte[]> list = new ArrayList<>(n);
    for (byte[] entry : picked) {
      list.add(entry);
    }
    return list;
  }

  /**
   * Guards against a cmdline rewritten by someone else: every argument the JVM decoded as pure
   * ASCII must match its raw bytes exactly, and every other one must have the same length class.
   */
  static boolean consistent(List<byte[]> raw, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      byte[] bytes = raw.get(i);
      boolean ascii = true;
      for (int c = 0; c < arg.length(); c++) {
        if (arg.charAt(c) >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        if (bytes.length != arg.length()) {
          return false;
        }
        for (int c = 0; c < bytes.length; c++) {
          if (bytes[c] != (byte) arg.charAt(c)) {
            return false;
          }
        }
      } else if (bytes.length == 0) {
        return false;
      }
    }
    return true;
  }
}
