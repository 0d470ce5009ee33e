package dev.nss.core;

/**
 * Where the goals register what must happen if Maven is stopped (a build to stop, a container or a
 * login directory to remove): the JVM's shutdown hooks for real, a recorder in tests, which can
 * then run a hook as a Ctrl-C would.
 */
public interface ShutdownHooks {

  void add(Thread hook);

  /** Takes {@code hook} back; does nothing once the JVM is shutting down (the hook runs then). */
  void remove(Thread hook);

  ShutdownHooks JVM =
      new ShutdownHooks() {
        @Override
        public void add(Thread hook) {
          Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void remove(Thread hook) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: nothing to undo.
          }
        }
      };
}
