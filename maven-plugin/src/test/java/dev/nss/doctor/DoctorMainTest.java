package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorMainTest {

  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(TestHost host, String... args) {
    return new DoctorMain(host.environment())
        .run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
  }

  @Test
  void printsTheTableWritesJsonAndExitsByPolicy() throws Exception {
    TestHost host = new TestHost(tmp);
    Path json = tmp.resolve("out/doctor.json");
    int status =
        run(host, "--json", json.toString(), "--checks=cli,hf-cache", "--hf-cache", tmp.toString());
    assertEquals(DoctorMain.FAILED, status);
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("nss doctor (container CLI: docker)\n"), text);
    assertTrue(text.contains("docker not found on PATH"), text);
    assertTrue(text.contains("1 ok, 0 warnings, 1 error: fails (nss.doctor.failOn=error)"), text);
    Object report = Json.parse(Files.readString(json));
    assertEquals(List.of(), MiniSchema.validate(ReportJsonTest.schema(), report));
    assertEquals(2, ((List<?>) Json.at(report, "checks")).size());
    assertEquals(DoctorMain.PASSED, run(host, "--checks", "cli", "--fail-on", "never"));
  }

  @Test
  void badArgumentsExitTwoWithTheReason() {
    TestHost host = new TestHost(tmp);
    assertEquals(DoctorMain.USAGE, run(host, "--checks", "nope"));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .contains("unknown check id(s): nope. Valid ids: cli,"));
    assertEquals(DoctorMain.USAGE, run(host, "--frobnicate", "x"));
    assertEquals(DoctorMain.USAGE, run(host, "--json"));
    assertEquals(DoctorMain.USAGE, run(host, "--min-free-disk", "lots"));
  }

  @Test
  void badSettingsAreNamedByTheOptionsOfThisProgram() {
    TestHost host = new TestHost(tmp);
    assertEquals(DoctorMain.USAGE, run(host, "--checks", "nope", "--fail-on", "never"));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("DoctorMain: --checks: unknown check id(s): nope."), text);
    assertTrue(text.strip().endsWith("e.g. --checks engine,gpu."), text);
    assertFalse(text.contains("-Dnss."), text);
  }

  @Test
  void listNamesEveryCheck() {
    assertEquals(DoctorMain.PASSED, run(new TestHost(tmp), "--list"));
    String text = out.toString(StandardCharsets.UTF_8);
    for (String id : Checks.ids()) {
      assertTrue(text.contains(id + " "), id);
    }
  }

  @Test
  void emptyGpuFlagTurnsTheGpuErrorIntoAWarning() {
    TestHost host = new TestHost(tmp);
    assertEquals(DoctorMain.FAILED, run(host, "--checks", "gpu"));
    assertEquals(DoctorMain.PASSED, run(host, "--checks", "gpu", "--gpu-flag="));
  }

  @Test
  void helpPrintsTheUsage() {
    assertEquals(DoctorMain.PASSED, run(new TestHost(tmp), "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: DoctorMain [--json FILE]"));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anIncompleteOrUnknownArgumentIsNamedAboveTheUsage() {
    TestHost host = new TestHost(tmp);
    assertEquals(DoctorMain.USAGE, run(host, "--json"));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .startsWith(
                "DoctorMain: unknown or incomplete argument '--json'\nusage: DoctorMain [--json"),
        err.toString(StandardCharsets.UTF_8));
    err.reset();
    assertEquals(DoctorMain.USAGE, run(host, "--frobnicate=x"));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .startsWith("DoctorMain: unknown option '--frobnicate'\nusage: DoctorMain [--json"),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aJsonReportThatCannotBeWrittenFailsTheRunAfterTheTable() throws Exception {
    Path directory = Files.createDirectories(tmp.resolve("report.json"));
    int status = run(new TestHost(tmp), "--checks", "hf-cache", "--json", directory.toString());
    assertEquals(DoctorMain.FAILED, status);
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .startsWith("DoctorMain: cannot write the JSON report: "),
        err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("1 ok, 0 warnings, 0 errors"));
  }

  @Test
  void anInterruptedRunFailsAndKeepsTheInterrupt() {
    TestHost host = new TestHost(tmp);
    host.program("docker");
    host.runner.hang();
    Thread.currentThread().interrupt();
    int status;
    boolean stillInterrupted;
    try {
      status = run(host, "--checks", "engine");
    } finally {
      stillInterrupted = Thread.interrupted();
    }
    assertEquals(DoctorMain.FAILED, status);
    assertTrue(stillInterrupted, "the interrupt is kept for the caller");
    assertEquals("DoctorMain: interrupted\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theHfCacheDefaultsToTheOneUnderHome() {
    TestHost host = new TestHost(tmp);
    assertEquals(DoctorMain.PASSED, run(host, "--checks", "hf-cache"));
    assertTrue(
        out.toString(StandardCharsets.UTF_8)
            .contains(tmp.resolve("home/.cache/huggingface") + " (missing; run-gpu creates it)"),
        out.toString(StandardCharsets.UTF_8));
  }
}
