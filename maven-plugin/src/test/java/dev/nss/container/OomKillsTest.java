package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a 137 was the engine's out-of-memory kill: the events query is run only for a 137, and
 * only its clean answer {@code oom} counts.
 */
class OomKillsTest {

  @TempDir Path tmp;

  private static final Instant SINCE = Instant.ofEpochSecond(1700000000L, 5);

  private final List<List<String>> asked = new ArrayList<>();

  /** The events command answers with {@code script} (sh), recording the argv it was given. */
  private Function<List<String>, ProcessBuilder> events(String script) {
    return argv -> {
      asked.add(argv);
      return new ProcessBuilder("sh", "-c", script);
    };
  }

  private boolean recorded(String script, int exitCode) {
    return OomKills.recorded(events(script), "docker", "c1", exitCode, SINCE);
  }

  @Test
  void anOomEventOfTheContainerSinceItsCreateCounts() {
    assertTrue(recorded("echo ' oom '", 137));
    List<String> argv = asked.get(0);
    assertEquals(
        List.of("docker", "events", "--since", "1699999999.000000005", "--until"),
        argv.subList(0, 5));
    assertEquals(
        List.of("--filter", "container=c1", "--filter", "event=oom", "--format", "{{.Action}}"),
        argv.subList(6, argv.size()));
  }

  @Test
  void anotherExitCodeAsksNothing() {
    assertFalse(recorded("echo oom", 1));
    assertFalse(recorded("echo oom", 143));
    assertEquals(List.of(), asked);
  }

  @Test
  void noEventAFailedQueryOrACliThatCannotStartIsNoOomKill() {
    assertFalse(recorded("echo die", 137));
    assertFalse(recorded("echo oom; exit 1", 137), "the engine could not say");
    assertFalse(
        OomKills.recorded(
            argv -> new ProcessBuilder(tmp.resolve("no-cli").toString()),
            "docker",
            "c1",
            137,
            SINCE));
  }

  @Test
  void theQueryGetsNoInput() {
    assertTrue(recorded("cat > /dev/null; echo oom", 137), "its stdin is closed: it ends");
  }

  @Test
  void anInterruptedGoalGetsNoAnswerAndStaysInterrupted() throws Exception {
    // The query has answered and closed its output but not exited: the goal waits, interrupted.
    Path pid = tmp.resolve("pid");
    Thread.currentThread().interrupt();
    try {
      assertFalse(recorded("echo $$ > '" + pid + "'; echo oom; exec >&- 2>&-; exec sleep 30", 137));
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
      ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
