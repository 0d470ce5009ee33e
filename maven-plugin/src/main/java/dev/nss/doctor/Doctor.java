package dev.nss.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the selected checks concurrently, each bounded by {@code nss.doctor.timeout}: a check still
 * running then is cancelled (its process destroyed) and reported as an error "timed out after Ns".
 */
public final class Doctor {

  static final java.time.Duration GRACE = java.time.Duration.ofSeconds(2);

  private final DoctorSettings settings;
  private final DoctorEnvironment environment;

  public Doctor(DoctorSettings settings, DoctorEnvironment environment) {
    this.settings = settings;
    this.environment = environment;
  }

  public DoctorReport run() throws InterruptedException {
    CheckContext context = new CheckContext(settings, environment);
    List<Check> selected = new ArrayList<>();
    for (String id : settings.checks()) {
      selected.add(Checks.byId(id).orElseThrow());
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            selected.size() + 1,
            r -> {
              Thread t = new Thread(r, "nss-doctor");
              t.setDaemon(true); // a check stuck in native code must not keep the JVM alive
              return t;
            });
    try {
      if (selected.stream().anyMatch(c -> Checks.needsEngine(c.id()))) {
        context.startEngineProbe(pool);
      }
      Map<Check, Future<CheckResult>> futures = new LinkedHashMap<>();
      for (Check check : selected) {
        futures.put(check, pool.submit(() -> timed(check, context)));
      }
      // The commands' own timeouts fire first, so a check can say which command hung; this is the
      // backstop.
      long deadline = System.nanoTime() + limit().toNanos();
      List<CheckResult> results = new ArrayList<>();
      for (Map.Entry<Check, Future<CheckResult>> entry : futures.entrySet()) {
        results.add(await(entry.getKey(), entry.getValue(), deadline));
      }
      return new DoctorReport(context.cli(), settings.failOn(), results);
    } finally {
      // Checks still running are stopped only now: a check that timed out may be the one running
      // the shared engine
      // probe, and interrupting it earlier would hand the checks waiting on that probe an
      // "interrupted" result.
      pool.shutdownNow();
    }
  }

  private CheckResult await(Check check, Future<CheckResult> future, long deadline)
      throws InterruptedException {
    long start = System.nanoTime();
    try {
      return future.get(Math.max(0, deadline - start), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return new CheckResult(
          check.id(),
          Finding.error(
              "timed out after " + limit().toSeconds() + "s",
              "find out what hangs: run the check's command"
                  + " by hand, or raise -Dnss.doctor.timeout (now "
                  + settings.timeout().toSeconds()
                  + ")"),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deadline) + limit().toMillis());
    } catch (ExecutionException e) {
      return new CheckResult(check.id(), crashed(e.getCause()), 0);
    }
  }

  /** How long a check may take: the commands' timeout and a grace period. */
  private java.time.Duration limit() {
    return settings.timeout().plus(GRACE);
  }

  private static CheckResult timed(Check check, CheckContext context) throws InterruptedException {
    long start = System.nanoTime();
    Finding finding;
    try {
      finding = check.run(context);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception | LinkageError e) {
      finding = crashed(e);
    }
    return new CheckResult(
        check.id(), finding, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  private static Finding crashed(Throwable e) {
    return Finding.error(
        "the check itself failed: " + e, "report this with the output of the check's command");
  }
}
