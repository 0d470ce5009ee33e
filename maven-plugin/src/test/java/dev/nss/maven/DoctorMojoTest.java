package dev.nss.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.Json;
import dev.nss.doctor.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor goal adapts settings and outcome; the checks themselves are tested in dev.nss.doctor.
 */
class DoctorMojoTest {

  @TempDir Path tmp;
  private TestHost host;
  private DoctorMojo mojo;
  private final List<String> logged = new ArrayList<>();

  @BeforeEach
  void setUp() {
    host = new TestHost(tmp);
    mojo = new DoctorMojo(host::environment);
    mojo.failOn = "error";
    mojo.minFreeDisk = "40G";
    mojo.timeout = "30";
    mojo.report = tmp.resolve("target/nss-doctor.json").toFile();
    mojo.hfCache = tmp.resolve("hf").toString();
    mojo.gpuFlag = "--gpus all";
    mojo.setLog(
        new SystemStreamLog() {
          @Override
          public void info(CharSequence content) {
            logged.add(content.toString());
          }
        });
  }

  @Test
  void unknownCheckIdFailsBeforeAnyCheckRuns() {
    mojo.checks = "engine,gpus";
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(
        e.getMessage().contains("unknown check id(s): gpus. Valid ids: cli, engine, buildkit"),
        e.getMessage());
    assertTrue(host.runner.commands().isEmpty());
    assertFalse(Files.exists(mojo.report.toPath()));
  }

  @Test
  void badSizeNamesItsProperty() {
    mojo.minFreeDisk = "much";
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().startsWith("nss.doctor.minFreeDisk"), e.getMessage());
  }

  @Test
  void defaultPolicyFailsOnErrorsAfterWritingTheReport() throws Exception {
    mojo.checks = "cli,hf-cache";
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertEquals(
        "nss:doctor found 1 error(s) and 0 warning(s) (nss.doctor.failOn=error); apply the fixes above, or run with"
            + " -Dnss.doctor.failOn=never to report only",
        e.getMessage());
    Object report = Json.parse(Files.readString(mojo.report.toPath()));
    assertEquals(Boolean.TRUE, Json.at(report, "failed"));
    assertTrue(logged.get(0).startsWith("nss doctor (container CLI: docker)"), logged.toString());
    assertTrue(
        logged.stream().anyMatch(l -> l.contains("cli ") && l.contains("docker not found on PATH")),
        logged.toString());
  }

  @Test
  void failOnNeverPasses() throws Exception {
    mojo.checks = "cli";
    mojo.failOn = "never";
    mojo.execute();
    assertEquals(
        Boolean.FALSE, Json.at(Json.parse(Files.readString(mojo.report.toPath())), "failed"));
  }

  @Test
  void emptyGpuFlagMakesGpuChecksWarnings() throws Exception {
    mojo.checks = "gpu";
    assertThrows(MojoFailureException.class, mojo::execute);
    mojo.gpuFlag = "";
    mojo.execute();
    assertEquals("warning", Json.at(Json.parse(Files.readString(mojo.report.toPath())), "worst"));
  }

  @Test
  void withoutAProjectTheReportGoesUnderTheStartDirectory() throws Exception {
    mojo.report = new java.io.File("${project.basedir}/target/nss-doctor.json");
    mojo.executionRoot = tmp.resolve("start").toFile();
    mojo.checks = "cli";
    mojo.failOn = "never";
    mojo.execute();
    assertTrue(Files.isRegularFile(tmp.resolve("start/target/nss-doctor.json")));
  }

  @Test
  void anEmptyGpuFlagOnTheCommandLineMeansNoGpu() throws Exception {
    mojo.checks = "gpu";
    mojo.session = sessionWithUserProperty("nss.gpuFlag", "");
    mojo.execute();
    assertEquals("warning", Json.at(Json.parse(Files.readString(mojo.report.toPath())), "worst"));
  }

  @Test
  void anNssSlurmPropertyAddsTheSlurmCheckToTheDefaults() {
    assertFalse(mojo.slurmSettingsUsed(), "no session");
    mojo.session = sessionWithUserProperty("nss.gpuFlag", "");
    assertFalse(mojo.slurmSettingsUsed());
    mojo.session = sessionWithUserProperty("nss.slurm.partition", "gpu");
    assertTrue(mojo.slurmSettingsUsed());
  }

  @SuppressWarnings("deprecation")
  private static org.apache.maven.execution.MavenSession sessionWithUserProperty(
      String name, String value) {
    org.apache.maven.execution.DefaultMavenExecutionRequest request =
        new org.apache.maven.execution.DefaultMavenExecutionRequest();
    java.util.Properties user = new java.util.Properties();
    user.setProperty(name, value);
    request.setUserProperties(user);
    return new org.apache.maven.execution.MavenSession(null, request, null, List.of());
  }

  @Test
  void skipDoesNothing() throws Exception {
    mojo.skip = true;
    mojo.checks = "nonsense";
    mojo.execute();
    assertFalse(Files.exists(mojo.report.toPath()));
  }
}
