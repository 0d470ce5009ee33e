package dev.nss.slurm;

/**
 * The JVM's shutdown hooks, which run when Maven stops (Ctrl-C); the unit tests stand in for them.
 */
interface ShutdownHooks {

  ShutdownHooks RUNTIME =
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
            // The hook runs already: it cancels the job.
          }
        }
      };

  void add(Thread hook);

  void remove(Thread hook);
}
