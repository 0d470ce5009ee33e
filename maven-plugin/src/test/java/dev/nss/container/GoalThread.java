package dev.nss.container;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A goal run on a thread of its own, as Maven's: what it threw, and whether it stayed interrupted.
 */
final class GoalThread {

  /** A goal's work. */
  interface Call {
    void run() throws Exception;
  }

  /** Null when the goal succeeded, else what it threw. */
  final CompletableFuture<Throwable> outcome = new CompletableFuture<>();

  private final AtomicBoolean stayedInterrupted = new AtomicBoolean();
  private final Thread thread;

  GoalThread(Call call) {
    thread =
        new Thread(
            () -> {
              try {
                call.run();
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
              stayedInterrupted.set(Thread.currentThread().isInterrupted());
            },
            "test-maven");
    thread.start();
  }

  /** Interrupts the goal's thread and waits for it to end (a hang guard of 30 s). */
  void interrupt() throws InterruptedException {
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(30));
  }

  /** Whether the goal's thread was still interrupted when the goal returned. */
  boolean stayedInterrupted() {
    return stayedInterrupted.get();
  }

  /** {@link #pidTo(Path, String)} of the shell itself. */
  static String pidTo(Path file) {
    return pidTo(file, "$$");
  }

  /**
   * Shell words that write {@code pid} (a shell word: {@code $$}, {@code $!}) to {@code file},
   * whole (written, then renamed): a test waiting for the file never reads it before the pid is in
   * it.
   */
  static String pidTo(Path file, String pid) {
    return "echo " + pid + " > '" + file + ".tmp' && mv '" + file + ".tmp' '" + file + "'";
  }
}
