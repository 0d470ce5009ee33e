package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
