package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor as a whole: selection, order, time limits, crashes, policy and the table. */
class DoctorTest {

  @TempDir Path tmp;

  @Test
  void aHungEngineTimesOutEveryCheckThatNeedsIt() throws Exception {
    TestHost host = new TestHost(tmp);
    host.program("docker");
    host.runner.hang();
    DoctorSettings settings = host.settings().checks("engine,disk,hf-cache").timeout("1").build();
    DoctorReport report = new Doctor(settings, host.environment()).run();
    assertEquals(List.of("engine", "hf-cache", "disk"), ids(report));
    CheckResult engine = report.results().get(0);
    assertEquals(Status.ERROR, engine.status());
    assertEquals(
        "timed out after 3s",
        engine.finding().value()); // the fake ignores command timeouts: backstop
    assertTrue(engine.finding().fix().contains("-Dnss.doctor.timeout"), engine.finding().fix());
    assertTrue(
        engine.durationMillis() >= 3000 && engine.durationMillis() < 600_000,
        "a timed-out check took its limit: " + engine.durationMillis());
    assertEquals(Status.OK, report.results().get(1).status());
    long hfCacheMillis = report.results().get(1).durationMillis();
    assertTrue(
        hfCacheMillis >= 0 && hfCacheMillis < 600_000,
        "a finished check took less than its limit: " + hfCacheMillis);
    assertEquals("timed out after 3s", report.results().get(2).finding().value());
    assertTrue(report.failed());
  }

  @Test
  void aCrashingCheckIsAnErrorNotAnException() throws Exception {
    TestHost host = new TestHost(tmp);
    host.hardware =
        new HostHardware() {
          @Override
          public List<GraphicsCard> graphicsCards() {
            throw new IllegalStateException("lspci exploded");
          }

          @Override
          public java.util.OptionalLong totalMemoryBytes() {
            return java.util.OptionalLong.empty();
          }
        };
    DoctorReport report =
        new Doctor(host.settings().checks("gpu").build(), host.environment()).run();
    Finding f = report.results().get(0).finding();
    assertEquals(Status.ERROR, f.status());
    assertTrue(f.value().contains("lspci exploded"), f.value());
  }

  @Test
  void policyDecidesTheOutcome() throws Exception {
    TestHost host = new TestHost(tmp);
    DoctorSettings.Builder settings = host.settings().checks("cli,hf-cache");
    assertTrue(new Doctor(settings.build(), host.environment()).run().failed());
    assertFalse(new Doctor(settings.failOn("never").build(), host.environment()).run().failed());
    DoctorSettings warningsOnly = host.settings().checks("hf-token").failOn("error").build();
    DoctorReport report = new Doctor(warningsOnly, host.environment()).run();
    assertEquals(Status.WARNING, report.worst());
    assertFalse(report.failed());
    assertTrue(
        new Doctor(host.settings().checks("hf-token").failOn("warning").build(), host.environment())
            .run()
            .failed());
  }

  @Test
  void tableIsAlignedWithFixLinesUnderTheirValue() {
    List<String> lines = ReportTable.lines(ReportJsonTest.sample(), true);
    assertEquals("✓  cli       Docker version 28.2.2 at /usr/local/bin/docker", lines.get(0));
    assertTrue(lines.get(1).startsWith("✗  buildkit  line \"one\""), lines.get(1));
    assertEquals(
        " ".repeat(1 + 2 + 8 + 2) + "fix: -Dnss.containerCli=/usr/bin/docker", lines.get(2));
    assertEquals("!  hf-token  no token", lines.get(3));
    assertEquals("1 ok, 1 warning, 1 error: fails (nss.doctor.failOn=error)", lines.get(5));
    List<String> ascii = ReportTable.lines(ReportJsonTest.sample(), false);
    assertEquals("ok  cli       Docker version 28.2.2 at /usr/local/bin/docker", ascii.get(0));
    assertTrue(ascii.get(1).startsWith("x   buildkit  "), ascii.get(1));
    assertEquals(
        " ".repeat(2 + 2 + 8 + 2) + "fix: -Dnss.containerCli=/usr/bin/docker", ascii.get(2));
  }

  private static List<String> ids(DoctorReport report) {
    List<String> ids = new ArrayList<>();
    report.results().forEach(r -> ids.add(r.id()));
    return ids;
  }

  @Test
  void theConsoleMarksFollowItsEncoding() {
    String saved = System.getProperty("stdout.encoding");
    try {
      System.setProperty("stdout.encoding", "US-ASCII");
      assertFalse(ReportTable.consoleSupportsUnicode());
      System.setProperty("stdout.encoding", "UTF-8");
      assertTrue(ReportTable.consoleSupportsUnicode());
      System.setProperty("stdout.encoding", "no-such-charset");
      assertFalse(ReportTable.consoleSupportsUnicode());
    } finally {
      if (saved == null) {
        System.clearProperty("stdout.encoding");
      } else {
        System.setProperty("stdout.encoding", saved);
      }
    }
  }
}
