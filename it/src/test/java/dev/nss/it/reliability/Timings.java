package dev.nss.it.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measured figures for docs/reliability.md: appended to target/it-work/reliability/figures.txt,
 * never asserted on.
 */
final class Timings {

  private static final Map<String, Long> ALL = new LinkedHashMap<>();

  private Timings() {}

  static synchronized void record(String what, long millis) {
    ALL.put(what, millis);
    note(what + " " + millis + " ms");
  }

  static synchronized void note(String line) {
    try {
      Path file = Rel.work().resolve("figures.txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static synchronized Map<String, Long> all() {
    return Map.copyOf(ALL);
  }
}
