package dev.nss.it.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Busy loops that keep the CPUs busy while a test runs (a loaded CI machine); ended by close. */
final class CpuBurner implements AutoCloseable {

  /** {@code -Dnss.it.burners=N}: the busy loops beside the load tests (default 4). */
  static final int DEFAULT = Integer.getInteger("nss.it.burners", 4);

  private final List<Process> loops = new ArrayList<>();

  CpuBurner(int loops) {
    try {
      for (int i = 0; i < loops; i++) {
        this.loops.add(
            new ProcessBuilder("sh", "-c", "while :; do :; done")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    }
  }

  /** The 1-minute load average, for the figures. */
  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public void close() {
    for (Process loop : loops) {
      loop.destroyForcibly();
    }
    for (Process loop : loops) {
      try {
        loop.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
