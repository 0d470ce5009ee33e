package dev.nss.container;

import dev.nss.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Removes one container by id until the engine no longer knows it. {@code rm -f} can fail while the
 * engine is busy with the container (podman refuses while a {@code start} cut short by a signal
 * still holds it): then it is retried, for as long as {@code container inspect} still finds the id,
 * within a hang guard.
 */
final class ContainerRemoval {

  private static final long GUARD_SECONDS = 60;
  private static final long PAUSE_MILLIS = 250;

  private ContainerRemoval() {}

  /**
   * @param processes makes the process for an argv
   * @param workDir where the CLI runs
   * @return true when the container is gone
   */
  static boolean untilGone(
      Function<List<String>, ProcessBuilder> processes, Path workDir, String cli, String id)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
    while (true) {
      if (exitsZero(processes, workDir, Engine.forceRemove(cli, id))) {
        return true;
      }
      if (!exitsZero(
          processes, workDir, List.of(cli, "container", "inspect", "--format", "{{.Id}}", id))) {
        return true;
      }
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(PAUSE_MILLIS);
    }
  }

  private static boolean exitsZero(
      Function<List<String>, ProcessBuilder> processes, Path workDir, List<String> argv)
      throws IOException, InterruptedException {
    return CliProcesses.exitsZero(processes.apply(argv).directory(workDir.toFile()), GUARD_SECONDS);
  }
}
