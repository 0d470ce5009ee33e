package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.ShutdownHooks;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a CLI command under a shutdown hook that stops it ({@link BuildStop}) if Maven is stopped,
 * then runs the goal's clean-up. The hook is in place before the CLI starts, and a lock orders the
 * two: JVM shutdown does not stop the goal's thread, so once the hook has run, the CLI must not
 * start.
 */
final class ShutdownSupervisor {

  /** What runs while a started CLI process is watched; returns its exit code. */
  interface Watch {
    int apply(Process process) throws CommandFailedException;
  }

  private final ShutdownHooks hooks;

  ShutdownSupervisor(ShutdownHooks hooks) {
    this.hooks = hooks;
  }

  /**
   * Starts {@code pb}, the process of {@code argv}, and watches it; the hook is taken back after.
   *
   * @param afterStop what the hook runs after the stop (null: nothing)
   */
  int run(ProcessBuilder pb, List<String> argv, Runnable afterStop, Watch watch)
      throws CommandFailedException {
    AtomicReference<Process> running = new AtomicReference<>();
    Object gate = new Object();
    boolean[] stopping = {false};
    Thread hook =
        new Thread(
            () -> {
              Process seen;
              synchronized (gate) {
                stopping[0] = true;
                seen = running.get();
              }
              BuildStop.stop(seen, argv.get(0));
              if (afterStop != null) {
                afterStop.run();
              }
            },
            "nss-stop-" + CliProcesses.command(argv));
    hooks.add(hook);
    try {
      Process process;
      synchronized (gate) {
        if (stopping[0]) {
          throw new CommandFailedException(
              "Maven is stopping: `"
                  + CliProcesses.command(argv)
                  + "` was not started. Run the goal again.",
              130);
        }
        process = CliProcesses.start(pb, argv);
        running.set(process);
      }
      return watch.apply(process);
    } finally {
      hooks.remove(hook);
    }
  }
}
