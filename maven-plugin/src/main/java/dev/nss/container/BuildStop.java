package dev.nss.container;

import dev.nss.engine.Engine;
import java.util.concurrent.TimeUnit;

/**
 * Stops a build CLI on Ctrl-C so that its builder leaves nothing behind.
 *
 * <p>Docker: a signal to the client cancels the build in BuildKit, which keeps no build container.
 * Podman: a signal to {@code podman build} (buildah 1.28) ends it at once and leaves its working
 * containers in the store ({@code podman ps --external}) and the running {@code RUN} step's
 * processes orphaned. So a podman build runs in a session of its own (out of reach of the
 * terminal's Ctrl-C, see {@link ContainerCli}) and is stopped by killing its children: the {@code
 * RUN} step then fails, and buildah removes its working containers and exits, as after any failed
 * step.
 */
final class BuildStop {

  /**
   * How long a podman build may take to notice its failed step and clean up (a commit in progress
   * finishes first).
   */
  static final long PODMAN_CLEANUP_SECONDS = 60;

  private BuildStop() {}

  /** Stops {@code process}, a build of {@code cli}; null when it never started. */
  static void stop(Process process, String cli) {
    if (process == null) {
      return;
    }
    if (Engine.isPodman(cli)) {
      failRunningSteps(process);
    }
    destroyAndWait(process);
  }

  /**
   * SIGTERM to a CLI process, then up to 5 s for it to end (also a run's {@code start} client). The
   * signal goes through the process's handle: {@link Process#destroy} would also close its output
   * streams, and the goal's reader would lose what the CLI printed last (a podman build's clean-up
   * report) with "Stream closed".
   */
  static void destroyAndWait(Process process) {
    process.toHandle().destroy();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Kills the build's child processes (the RUN step under buildah's OCI runtime) until buildah has
   * exited.
   */
  private static void failRunningSteps(Process process) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(PODMAN_CLEANUP_SECONDS);
    try {
      while (process.isAlive() && System.nanoTime() < end) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.waitFor(200, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
