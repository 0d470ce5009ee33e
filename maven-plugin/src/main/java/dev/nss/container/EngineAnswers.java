package dev.nss.container;

import dev.nss.engine.Engine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Whether each engine answered lately. Builds, pushes and pulls are not bounded by a timer, so one
 * is sent only to an engine that has answered within the last {@link #FRESH}: a bounded command of
 * the goal (or of the goal before it in the same Maven run) that reaches what the build needs, or a
 * build, push or pull that ended. Otherwise the goal first asks {@link #question} within {@code
 * nss.engineTimeout}. On docker every query reaches the daemon; on podman only {@code version}
 * opens the image store, taking each of its locks (an {@code image inspect} of a missing image
 * takes not all of them). A command that did not answer is remembered for as long: the next build
 * fails at once, naming it, instead of waiting for a second limit.
 */
final class EngineAnswers {

  static final Duration FRESH = Duration.ofSeconds(10);

  private static final Set<String> DOCKER_QUERIES = Set.of("version", "info", "image");
  private static final Set<String> UNBOUNDED = Set.of("build", "pull", "push", "tag");

  /** The engines reached through one process factory: the goals of a Maven run share it. */
  private static final Map<Object, EngineAnswers> BY_PROCESSES = new WeakHashMap<>();

  private record Last(long at, String unanswered) {}

  private final LongSupplier nanoClock;
  private final Map<String, Last> last = new ConcurrentHashMap<>();

  EngineAnswers(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** The answers of the engines reached through {@code processes}, shared by every goal. */
  static EngineAnswers of(Object processes) {
    return of(processes, System::nanoTime);
  }

  /** The same, timed by {@code nanoClock} if they are new. */
  static EngineAnswers of(Object processes, LongSupplier nanoClock) {
    synchronized (BY_PROCESSES) {
      return BY_PROCESSES.computeIfAbsent(processes, p -> new EngineAnswers(nanoClock));
    }
  }

  /** The bounded question asked before a build, push or pull of an engine that has not answered. */
  static List<String> question(String cli) {
    return Engine.isPodman(cli)
        ? Commands.clientVersion(cli)
        : List.of(cli, "version", "--format", "{{.Server.Version}}");
  }

  /** Whether a bounded command that ended shows that its engine answers. */
  static boolean showsAnswer(List<String> argv) {
    String verb = CliProcesses.verb(argv);
    return Engine.isPodman(argv.get(0))
        ? argv.equals(question(argv.get(0)))
        : DOCKER_QUERIES.contains(verb);
  }

  /**
   * Whether a build-like command that ended shows it (docker's manifest commands reach only a
   * registry).
   */
  static boolean isUnbounded(List<String> argv) {
    return UNBOUNDED.contains(CliProcesses.verb(argv));
  }

  void answered(String cli) {
    last.put(cli, new Last(nanoClock.getAsLong(), null));
  }

  /** {@code message}: the failure of the command of {@code cli} that did not answer. */
  void unanswered(String cli, String message) {
    last.put(cli, new Last(nanoClock.getAsLong(), message));
  }

  /** What is known of {@code cli} from the last {@link #FRESH}: null, nothing. */
  Known known(String cli) {
    Last l = last.get(cli);
    if (l == null || nanoClock.getAsLong() - l.at() >= FRESH.toNanos()) {
      return null;
    }
    return new Known(l.unanswered());
  }

  /** A fresh answer ({@code unanswered} null) or the failure of a command that got none. */
  record Known(String unanswered) {}
}
