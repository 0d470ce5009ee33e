package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nss.core.Command;
import dev.nss.core.CommandResult;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.Json;
import dev.nss.core.ProcessCommandRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor against the real engine of this machine through {@code /usr/bin/docker}, the client
 * with BuildKit, with the probe cache in a temp dir (so the probe really runs, and the user's cache
 * is left alone). Skipped when the engine does not answer, unless {@code NSS_REQUIRE_ENGINE=1}
 * (CI), which makes that a failure.
 */
class RealEngineTest {

  static final Path DOCKER = Paths.get("/usr/bin/docker");

  @TempDir Path tmp;

  @BeforeAll
  static void engineAnswers() throws Exception {
    boolean answers =
        Files.isExecutable(DOCKER)
            && new ProcessCommandRunner()
                .run(Command.of(Duration.ofSeconds(20), DOCKER.toString(), "version"))
                .succeeded();
    if ("1".equals(System.getenv("NSS_REQUIRE_ENGINE"))) {
      assertTrue(
          answers, "NSS_REQUIRE_ENGINE=1 but /usr/bin/docker version fails: start the engine");
    }
    assumeTrue(answers, "no container engine answers through /usr/bin/docker");
  }

  @Test
  void reportsTheTrueStateOfThisGpuLessMachine() throws Exception {
    assumeTrue(noGpuHere(), "this host has an NVIDIA GPU; GpuHostTest covers it");
    Path json = tmp.resolve("target/nss-doctor.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        main()
            .run(
                print(out),
                print(new ByteArrayOutputStream()),
                "--cli",
                DOCKER.toString(),
                "--json",
                json.toString(),
                "--hf-cache",
                tmp.resolve("hf").toString());
    String table = out.toString(StandardCharsets.UTF_8);
    assertEquals(DoctorMain.FAILED, status, table);
    Object report = Json.parse(Files.readString(json));
    assertEquals(List.of(), MiniSchema.validate(ReportJsonTest.schema(), report));
    Map<String, Object> byId = byId(report);
    assertEquals("ok", Json.at(byId.get("cli"), "status"), table);
    assertEquals("ok", Json.at(byId.get("engine"), "status"), table);
    assertTrue(Json.string(byId.get("engine"), "value").startsWith("Docker Engine "), table);
    assertEquals("ok", Json.at(byId.get("buildkit"), "status"), table);
    assertEquals("error", Json.at(byId.get("nvidia-runtime"), "status"), table);
    assertTrue(
        Json.string(byId.get("nvidia-runtime"), "fix")
            .contains("nvidia-ctk runtime configure --runtime=docker"));
    assertEquals("error", Json.at(byId.get("gpu"), "status"), table);
    assertTrue(Json.string(byId.get("gpu"), "value").startsWith("none "), table);
    assertTrue(table.contains("✗  nvidia-runtime") || table.contains("x   nvidia-runtime"), table);

    assertEquals(
        DoctorMain.PASSED,
        main()
            .run(
                print(new ByteArrayOutputStream()),
                print(new ByteArrayOutputStream()),
                "--cli",
                DOCKER.toString(),
                "--fail-on",
                "never",
                "--hf-cache",
                tmp.resolve("hf").toString()));
    assertEquals(
        DoctorMain.PASSED,
        main()
            .run(
                print(new ByteArrayOutputStream()),
                print(new ByteArrayOutputStream()),
                "--cli",
                DOCKER.toString(),
                "--checks",
                "engine,nvidia-runtime,gpu",
                "--gpu-flag="));
  }

  @Test
  void theBuildKitProbeLeavesNoImageBehindAndRunsOnce() throws Exception {
    DoctorSettings settings =
        DoctorSettings.builder()
            .containerCli(DOCKER.toString())
            .checks("buildkit")
            .hfCache(tmp.toString())
            .build();
    DoctorReport report = new Doctor(settings, system(tmp)).run();
    assertEquals(Status.OK, report.worst(), report.results().toString());
    Finding again = new Doctor(settings, system(tmp)).run().results().get(0).finding();
    assertEquals(Status.OK, again.status(), again.value());
    assertTrue(
        again
            .value()
            .matches(
                java.util.regex.Pattern.quote(report.results().get(0).finding().value())
                    + " \\(probed \\d{4}-\\d\\d-\\d\\d, cached in "
                    + java.util.regex.Pattern.quote(
                        tmp.resolve("cache/nss/doctor-probes.json").toString())
                    + "\\)"),
        again.value());
    // Any image the probe made would carry the probe's label (other builds may run beside this
    // test).
    CommandResult images =
        new ProcessCommandRunner()
            .run(
                Command.of(
                    Duration.ofSeconds(20),
                    DOCKER.toString(),
                    "images",
                    "-aq",
                    "--filter",
                    "label=dev.nss.doctor=probe"));
    assertTrue(images.succeeded(), images.describeFailure());
    assertEquals("", images.stdout().strip());
  }

  @Test
  void aHungEngineIsReportedNotWaitedFor() throws Exception {
    Path socket = tmp.resolve("hung.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(
          UnixDomainSocketAddress.of(socket)); // accepts connections in the kernel, never answers
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("DOCKER_HOST", "unix://" + socket);
      DoctorEnvironment hung =
          new DoctorEnvironment(
              env,
              new ProcessCommandRunner(
                  argv -> {
                    ProcessBuilder pb = new ProcessBuilder(argv);
                    pb.environment().put("DOCKER_HOST", "unix://" + socket);
                    return pb;
                  }),
              FakeHardware.none(),
              Paths.get("/"),
              tmp);
      DoctorReport report =
          new Doctor(
                  DoctorSettings.builder()
                      .containerCli(DOCKER.toString())
                      .checks("cli,engine,buildkit")
                      .timeout("2")
                      .hfCache(tmp.toString())
                      .build(),
                  hung)
              .run();
      String all = report.results().toString();
      assertEquals(Status.WARNING, report.results().get(0).status(), all);
      assertTrue(
          report.results().get(0).finding().value().contains("--version timed out after 2s"), all);
      assertEquals(
          Finding.error("timed out after 2s", report.results().get(1).finding().fix()),
          report.results().get(1).finding(),
          all);
      assertEquals(
          Finding.error(
              "not checked: engine unreachable (timed out after 2s)",
              report.results().get(1).finding().fix()),
          report.results().get(2).finding(),
          all);
    }
  }

  static boolean noGpuHere() throws InvalidSettingException {
    return !Files.exists(Paths.get("/proc/driver/nvidia/gpus"))
        && GpuCheck.findNvidiaSmi(
                new CheckContext(
                    DoctorSettings.builder().hfCache("/tmp").build(), DoctorEnvironment.system()))
            .isEmpty();
  }

  private DoctorMain main() {
    return new DoctorMain(system(tmp));
  }

  /** This machine, with the user's cache dir (the probe cache) under {@code dir/cache}. */
  static DoctorEnvironment system(Path dir) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    return DoctorEnvironment.system(env);
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static Map<String, Object> byId(Object report) {
    Map<String, Object> byId = new HashMap<>();
    for (Object check : (List<?>) Json.at(report, "checks")) {
      byId.put(Json.string(check, "id"), check);
    }
    return byId;
  }
}
