package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a podman run's terminal missed is printed from the container's log only when the output
 * passed on is exactly the log's start: never twice, never out of order.
 */
class TerminalOutputTest {

  @TempDir Path tmp;
  private Fixture f;

  @BeforeEach
  void setUp() throws IOException {
    f = new Fixture(tmp);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Passes {@code passed} on through a {@link TerminalOutput}; what reached Maven's stdout. */
  private static ByteArrayOutputStream pass(
      TerminalOutput output, ByteArrayOutputStream to, byte[] passed) throws InterruptedException {
    Thread t = output.pass(new ByteArrayInputStream(passed), "t");
    t.join();
    assertArrayEquals(passed, to.toByteArray(), "passed on as it came");
    return to;
  }

  private static String recovered(String passed, String log) throws Exception {
    ByteArrayOutputStream to = new ByteArrayOutputStream();
    TerminalOutput output = new TerminalOutput(to);
    pass(output, to, bytes(passed));
    long n = output.recover(new ByteArrayInputStream(bytes(log)));
    String printed = to.toString(StandardCharsets.UTF_8).substring(passed.length());
    assertEquals(printed.getBytes(StandardCharsets.UTF_8).length, n, "the count printed");
    return printed;
  }

  @Test
  void nothingPassedOnGetsTheWholeLog() throws Exception {
    assertEquals("short-run-1\r\n", recovered("", "short-run-1\r\n"));
  }

  @Test
  void aPrefixPassedOnGetsTheRestOfTheLog() throws Exception {
    assertEquals("b\r\n\tc", recovered("^@a\r\n", "^@a\r\nb\r\n\tc"));
  }

  @Test
  void allPassedOnGetsNothing() throws Exception {
    assertEquals("", recovered("a\r\nb\r\n", "a\r\nb\r\n"));
  }

  @Test
  void outputThatIsNotTheLogsStartGetsNothing() throws Exception {
    assertEquals("", recovered("b\r\n", "a\r\nb\r\n"), "the log's start was missed: not reordered");
    assertEquals("", recovered("a\r\nX", "a\r\nb\r\n"), "the two differ");
    assertEquals("", recovered("a\r\nb\r\n", "a\r\n"), "a log shorter than the output");
  }

  @Test
  void beyondTheKeptSizeThereIsNoComparison() throws Exception {
    ByteArrayOutputStream to = new ByteArrayOutputStream();
    TerminalOutput output = new TerminalOutput(to);
    byte[] big = new byte[TerminalOutput.KEPT + 1];
    pass(output, to, big);
    assertFalse(output.comparable());
    InputStream log = new ByteArrayInputStream(new byte[TerminalOutput.KEPT + 10]);
    assertEquals(0, output.recover(log));
    assertEquals(TerminalOutput.KEPT + 10, log.available(), "the log is not even read");
    assertEquals(
        0, output.recoverFrom(new ProcessBuilder("sh", "-c", "exit 1"), Duration.ofSeconds(5)));
  }

  @Test
  void exactlyTheKeptSizeIsCompared() throws Exception {
    ByteArrayOutputStream to = new ByteArrayOutputStream();
    TerminalOutput output = new TerminalOutput(to);
    pass(output, to, new byte[TerminalOutput.KEPT]);
    assertTrue(output.comparable());
    byte[] log = new byte[TerminalOutput.KEPT + 1];
    log[TerminalOutput.KEPT] = 'z';
    assertEquals(1, output.recover(new ByteArrayInputStream(log)));
  }

  @Test
  void theLogsCommandsOutputIsWhatIsRecovered() throws Exception {
    ByteArrayOutputStream to = new ByteArrayOutputStream();
    TerminalOutput output = new TerminalOutput(to);
    pass(output, to, bytes("a\n"));
    long n =
        output.recoverFrom(
            new ProcessBuilder("sh", "-c", "printf 'a\\nb\\n'; echo err >&2"),
            Duration.ofSeconds(30));
    assertEquals(2, n);
    assertEquals("a\nb\n", to.toString(StandardCharsets.UTF_8), "stderr is not printed");
  }

  @Test
  void aLogsCommandStillRunningAfterItsOutputIsEndedAtOnce() throws Exception {
    Path pid = tmp.resolve("logs.pid");
    TerminalOutput output = new TerminalOutput(new ByteArrayOutputStream());
    assertEquals(
        2,
        output.recoverFrom(
            new ProcessBuilder(
                "sh", "-c", "echo $$ > '" + pid + "'; printf 'a\\n'; exec >&-; exec sleep 600"),
            Duration.ofSeconds(600)));
    ProcessHandle logs =
        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElse(null);
    if (logs != null) {
      logs.onExit()
          .get(60, TimeUnit.SECONDS); // a hang guard: only its limit would end it otherwise
    }
  }

  @Test
  void aLogsCommandThatHangsIsEndedAfterTheLimit() {
    TerminalOutput output = new TerminalOutput(new ByteArrayOutputStream());
    assertEquals(
        0,
        output.recoverFrom(
            new ProcessBuilder("sh", "-c", "exec sleep 600"), Duration.ofMillis(200)),
        "ended, nothing printed");
  }

  @Test
  void whatIsPassedOnAndRecoveredReachesABufferedStdoutAtOnce() throws Exception {
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    TerminalOutput output = new TerminalOutput(new BufferedOutputStream(shown, 1 << 16));
    output.pass(new ByteArrayInputStream(bytes("a\n")), "t").join();
    assertEquals("a\n", shown.toString(StandardCharsets.UTF_8), "flushed as it came");
    assertEquals(2, output.recover(new ByteArrayInputStream(bytes("a\nb\n"))));
    assertEquals("a\nb\n", shown.toString(StandardCharsets.UTF_8), "flushed once recovered");
  }

  private static List<String> create(String cli) {
    return List.of(cli, "create", "--interactive", "--tty", "--name", "n", "img");
  }

  @Test
  void aPodmanRunWithATerminalReadsItsLogBeforeTheRemoval() throws Exception {
    f.cli().run(create("podman"), "n", true);
    assertEquals(
        List.of(
            create("podman"),
            List.of("podman", "start", "--attach", "--interactive", "id-n"),
            List.of("podman", "logs", "id-n"),
            List.of("podman", "rm", "-f", "--time", "0", "id-n")),
        f.processes.calls.subList(0, 4));
  }

  @Test
  void aPodmanRunWithoutATerminalAndDockerRunsReadNoLog() throws Exception {
    f.cli().run(List.of("podman", "create", "--name", "n", "img"), "n", false);
    f.cli().run(create("docker"), "n", true);
    assertEquals(List.of(), f.processes.verbs("logs"), f.processes.calls.toString());
    assertEquals(2, f.processes.verbs("start").size());
  }
}
