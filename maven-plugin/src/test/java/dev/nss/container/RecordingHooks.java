package dev.nss.container;

import dev.nss.core.ShutdownHooks;
import java.util.ArrayList;
import java.util.List;

/**
 * Shutdown hooks that are recorded, not given to the JVM: a test runs one as Maven's Ctrl-C would.
 */
public final class RecordingHooks implements ShutdownHooks {

  final List<Thread> added = new ArrayList<>();
  final List<Thread> removed = new ArrayList<>();

  /** Whether Maven is already stopping when a hook is added: the hook then runs at once. */
  private final boolean stopping;

  public RecordingHooks() {
    this(false);
  }

  RecordingHooks(boolean stopping) {
    this.stopping = stopping;
  }

  @Override
  public synchronized void add(Thread hook) {
    added.add(hook);
    if (stopping) {
      hook.run();
    }
  }

  @Override
  public synchronized void remove(Thread hook) {
    removed.add(hook);
  }

  /** Runs the one hook that is in place, as the JVM would on SIGINT or SIGTERM. */
  public void stop() {
    Thread hook;
    synchronized (this) {
      List<Thread> inPlace = new ArrayList<>(added);
      inPlace.removeAll(removed);
      if (inPlace.size() != 1) {
        throw new AssertionError("expected one hook in place, found " + inPlace);
      }
      hook = inPlace.get(0);
    }
    hook.run();
  }

  /** Whether every hook that was added has been taken back. */
  public synchronized boolean allTakenBack() {
    return !added.isEmpty() && removed.containsAll(added);
  }
}
