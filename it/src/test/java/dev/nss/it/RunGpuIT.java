package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cases 3 to 6 and the secrets check: {@code nss:run-gpu} on the GPU-less engines (docker and
 * podman), through tini and the agent to the sample program, which reports how it was started.
 */
class RunGpuIT {

  private static final String SHM_WARNING = "/dev/shm";
  private static final String TOKEN_HINT = "HINT: no Hugging Face token";

  @EngineTest
  void case03_argumentsArriveIntactAndTheProgramIsTinisChild(Engine engine) {
    Fixtures fixtures = Fixtures.on(engine);
    assertTrue(fixtures.runtimeBuild().succeeded(), fixtures.runtimeBuild()::describe);
    SampleProject project =
        fixtures
            .withContainers("run-gpu-args")
            .property(
                "nss.cmd", "'' 'two words' 'say \"hi\"' \"it's\" caf\u00e9 \u65e5\u672c --flag=x");
    // run-gpu builds first, as the Makefile does: into its own tag, so case 1's image keeps its
    // labels.
    String image = fixtures.gpuImage("run");
    BuildLog log =
        project.maven("nss:run-gpu").property("nss.image", image).property("nss.gpuFlag", "").run();
    assertTrue(
        log.stdout().contains("build --platform linux/amd64 --tag " + image + " "), log::describe);
    assertTrue(log.succeeded(), log::describe);

    Map<String, Object> report = log.report();
    List<String> expected =
        List.of("", "two words", "say \"hi\"", "it's", "caf\u00e9", "\u65e5\u672c", "--flag=x");
    assertEquals(expected, report.get("argv"), log::describe);
    assertEquals(
        expected.stream()
            .map(a -> HexFormat.of().formatHex(a.getBytes(StandardCharsets.UTF_8)))
            .toList(),
        report.get("argv_hex"),
        "argument bytes");
    assertEquals(1L, report.get("ppid"), "the program's parent is PID 1");
    assertEquals(
        "tini", report.get("parent"), "PID 1 is tini, so the agent exec'd instead of forking");
    assertEquals(
        new com.sun.security.auth.module.UnixSystem().getUid(),
        report.get("uid"),
        "nss.user=auto: the program runs as the user who ran Maven");

    assertTrue(log.stderr().contains(TOKEN_HINT), "the agent hints on stderr:\n" + log.describe());
    assertFalse(log.stdout().contains(TOKEN_HINT), "no hint on stdout:\n" + log.describe());
    assertFalse(
        log.all().contains("nvidia-smi"),
        "-Dnss.gpuFlag= asked for no GPU: no GPU hint (on podman neither):\n" + log.describe());
    assertFalse(log.stdout().contains("[nss-container]"), "no hint on stdout:\n" + log.describe());

    assertTrue(
        Files.isDirectory(project.dir().resolve("hf-cache")),
        "the HF cache dir is created on the host");
    assertEquals("/workspace/.hf_cache", report.get("hf_home"));
    assertEquals(Boolean.TRUE, report.get("hf_home_is_dir"), "HF_HOME is the mounted cache");
    assertNoContainerLeft(engine, log);
  }

  @EngineTest
  void case04_aFailingProgramFailsTheBuildWithItsExitCode(Engine engine) {
    BuildLog log =
        runOnBuiltImage(
            engine, "run-gpu-exit-3", Map.of("nss.cmd", "--exit=3"), Map.of("nss.gpuFlag", ""));
    assertFalse(log.succeeded(), log::describe);
    assertTrue(log.stdout().contains("BUILD FAILURE"), log::describe);
    assertTrue(log.all().matches("(?s).*exit(ed)?( with)? code 3\\b.*"), log::describe);
    assertEquals(
        List.of("--exit=3"), log.report().get("argv"), "the program itself ran and chose the code");
    assertNoContainerLeft(engine, log);
  }

  @Test
  void case05_defaultGpuFlagOnAGpuLessEngineExplainsTheToolkit() {
    BuildLog log = runOnBuiltImage(Engine.DOCKER, "run-gpu-no-toolkit", Map.of(), Map.of());
    assertFalse(log.succeeded(), log::describe);
    assertTrue(log.stdout().contains("--gpus all"), log::describe);
    assertTrue(log.all().contains("NVIDIA Container Toolkit"), log::describe);
    assertTrue(log.all().contains("nvidia-ctk runtime configure --runtime=docker"), log::describe);
    assertTrue(log.all().contains("nss.gpuFlag"), log::describe);
    assertEquals(List.of(), log.stackTraceLines(), log::describe);
  }

  /**
   * Podman &lt; 5 would silently run without GPUs on {@code --gpus all}: the goal passes the CDI
   * form and, with no NVIDIA CDI spec on this machine, fails before the build and the run, naming
   * the spec generator and {@code -Dnss.gpuFlag=}.
   */
  @Test
  void case05_defaultGpuFlagOnPodmanBecomesCdiDevicesAndNeedsASpec() {
    Fixtures.on(Engine.PODMAN);
    assumeTrue(
        List.of("/etc/cdi", "/var/run/cdi").stream()
            .noneMatch(d -> java.nio.file.Files.isDirectory(java.nio.file.Path.of(d))),
        "this machine has CDI specs");
    for (boolean dryRun : List.of(true, false)) {
      SampleProject project = Fixtures.on(Engine.PODMAN).withContainers("run-gpu-cdi-" + dryRun);
      BuildLog log =
          project
              .maven("nss:run-gpu")
              .property("nss.image", Fixtures.RUNTIME_IMAGE)
              .property("nss.dryRun", Boolean.toString(dryRun))
              .run();
      assertFalse(log.succeeded(), log::describe);
      assertTrue(
          log.stdout()
              .matches(
                  "(?s).*podman 4\\.\\d+\\.\\d+ ignores --gpus: passing --device nvidia.com/gpu=all "
                      + "\\(CDI devices\\) instead of --gpus all.*"),
          log::describe);
      assertTrue(
          log.all()
              .contains(
                  "nss.gpuFlag: --device nvidia.com/gpu=all asks podman for GPUs through CDI, but there "
                      + "is no NVIDIA CDI spec (nvidia.com/gpu) in /etc/cdi or /var/run/cdi"),
          log::describe);
      assertTrue(
          log.all()
              .contains(
                  "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml (or run without a GPU: "
                      + "-Dnss.gpuFlag=)"),
          log::describe);
      assertFalse(
          log.stdout().contains(" build --platform") || log.stdout().contains(" create "),
          "nothing was built or run:\n" + log.describe());
      assertEquals(List.of(), log.stackTraceLines(), log::describe);
    }
  }

  @Test
  void case06_smallSharedMemoryIsWarnedAboutAndTheDefaultIsNot() {
    Engine engine = Engine.DOCKER;
    // Not the default --help: the agent skips its checks for info-only commands.
    Map<String, String> cmd = Map.of("nss.cmd", "generate");
    BuildLog small =
        runOnBuiltImage(
            engine, "run-gpu-shm-64m", cmd, Map.of("nss.gpuFlag", "", "nss.shmSize", "64m"));
    assertTrue(small.succeeded(), small::describe);
    assertTrue(small.stdout().contains("--shm-size=64m"), small::describe);
    assertTrue(
        small.stderr().lines().anyMatch(l -> l.contains("WARNING") && l.contains(SHM_WARNING)),
        small::describe);

    BuildLog normal =
        runOnBuiltImage(engine, "run-gpu-shm-default", cmd, Map.of("nss.gpuFlag", ""));
    assertTrue(normal.succeeded(), normal::describe);
    assertTrue(normal.stdout().contains("--shm-size=1g"), normal::describe);
    assertFalse(
        normal.all().lines().anyMatch(l -> l.contains("WARNING") && l.contains(SHM_WARNING)),
        normal::describe);
    assertEquals(List.of("generate"), normal.report().get("argv"));
  }

  /**
   * run-gpu-dev: the dev image with the project bind-mounted over /workspace runs its default
   * {@code make test}.
   */
  @EngineTest
  void runGpuDevRunsMakeTestInTheDevImage(Engine engine) {
    Fixtures fixtures = Fixtures.on(engine).standIns();
    SampleProject project = fixtures.withContainers("run-gpu-dev");
    String image = fixtures.gpuImage("dev-run");
    BuildLog log =
        project
            .maven("nss:run-gpu-dev")
            .property("nss.imageDev", image)
            .property("nss.gpuFlag", "")
            .run();
    assertTrue(log.succeeded(), log::describe);
    assertTrue(log.stdout().contains("--target dev"), log::describe);
    assertTrue(log.stdout().contains(" " + image + " make test"), log::describe);
    assertTrue(log.all().contains("Ran 2 tests"), log::describe);
    assertNoContainerLeft(engine, log);
  }

  /**
   * Issue 3: secrets from Maven's environment go to the container by name; values never reach argv
   * or the log.
   */
  @Test
  void secretsAreNeitherInArgvNorInTheLog() {
    Engine engine = Engine.DOCKER;
    Fixtures fixtures = Fixtures.on(engine);
    String hfToken = "hf_itSecretValue" + Long.toHexString(System.nanoTime());
    String hubToken = "hub-it-secret-" + Long.toHexString(System.nanoTime());
    String inferenceKey = "nss-it-inference-" + Long.toHexString(System.nanoTime());
    SampleProject project = fixtures.withContainers("secrets").property("nss.cmd", "generate");

    BuildLog dry =
        project
            .maven("nss:run-gpu")
            .debug()
            .property("nss.dryRun", "true")
            .property("nss.image", Fixtures.RUNTIME_IMAGE)
            .env("HF_TOKEN", hfToken)
            .env("HUGGING_FACE_HUB_TOKEN", hubToken)
            .env("NSS_INFERENCE_KEY", inferenceKey)
            .run();
    assertTrue(dry.succeeded(), dry::describe);
    assertTrue(dry.stdout().contains("[DEBUG]"), "ran with -X");
    String runLine =
        dry.stdout()
            .lines()
            .filter(l -> l.contains("[dry-run] ") && l.contains(" create "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no dry-run run line:\n" + dry.describe()));
    assertTrue(
        runLine.contains("-e HF_TOKEN -e HUGGING_FACE_HUB_TOKEN -e NSS_INFERENCE_KEY")
            || (runLine.contains("-e HF_TOKEN ")
                && runLine.contains("-e HUGGING_FACE_HUB_TOKEN ")
                && runLine.contains("-e NSS_INFERENCE_KEY ")),
        runLine);
    for (String secret : List.of(hfToken, hubToken, inferenceKey)) {
      assertFalse(dry.all().contains(secret), "a secret value is in the -X log");
    }

    // A real run: the value reaches the container by name and still appears nowhere in the output.
    assertTrue(fixtures.runtimeBuild().succeeded(), fixtures.runtimeBuild()::describe);
    BuildLog real =
        project
            .maven("nss:run-gpu")
            .property("nss.image", Fixtures.RUNTIME_IMAGE)
            .property("nss.skipBuild", "true")
            .property("nss.gpuFlag", "")
            .env("HF_TOKEN", hfToken)
            .env("HUGGING_FACE_HUB_TOKEN", hubToken)
            .env("NSS_INFERENCE_KEY", inferenceKey)
            .run();
    assertTrue(real.succeeded(), real::describe);
    assertEquals(Boolean.TRUE, real.report().get("hf_token_set"), "HF_TOKEN reached the program");
    for (String secret : List.of(hfToken, hubToken, inferenceKey)) {
      assertFalse(real.all().contains(secret), "a secret value is in the log");
    }
    assertFalse(
        real.stderr().contains("no Hugging Face token"),
        "the agent saw the token:\n" + real.stderr());
  }

  private static BuildLog runOnBuiltImage(
      Engine engine,
      String caseName,
      Map<String, String> pomProperties,
      Map<String, String> cliProperties) {
    Fixtures fixtures = Fixtures.on(engine);
    assertTrue(fixtures.runtimeBuild().succeeded(), fixtures.runtimeBuild()::describe);
    SampleProject project = fixtures.withContainers(caseName);
    pomProperties.forEach(project::property);
    MavenBuild build =
        project
            .maven("nss:run-gpu")
            .property("nss.image", Fixtures.RUNTIME_IMAGE)
            .property("nss.skipBuild", "true");
    cliProperties.forEach(build::property);
    return build.run();
  }

  /** The run goal names its container and passes --rm: nothing of it may remain. */
  private static void assertNoContainerLeft(Engine engine, BuildLog log) {
    String name =
        log.containerName().orElseThrow(() -> new AssertionError("no --name in:\n" + log.stdout()));
    assertFalse(engine.containerExists(name), "container " + name + " is left behind");
  }
}
