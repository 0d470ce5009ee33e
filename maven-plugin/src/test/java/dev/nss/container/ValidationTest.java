package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.InvalidSettingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each bad input fails with the property and a fix in the message, before any process is started.
 */
class ValidationTest {

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered(
        "docker", "/usr/bin/docker", "podman"); // the question before a build: EngineQuestionTest
  }

  private InvalidSettingException buildFails(UnaryOperator<GoalSettings> change, String property) {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> f.goals().buildGpu(change.apply(f.settings()), false));
    assertTrue(e.getMessage().startsWith(property + ": "), e.getMessage());
    assertTrue(
        f.processes.calls.isEmpty(), "no engine call before validation: " + f.processes.calls);
    return e;
  }

  private InvalidSettingException runFails(UnaryOperator<GoalSettings> change, String property) {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> f.goals().runGpu(change.apply(f.settings()), false, false));
    assertTrue(e.getMessage().startsWith(property + ": "), e.getMessage());
    assertTrue(
        f.processes.calls.isEmpty(), "no engine call (not even the build) before validation");
    return e;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "NSS-GPU:latest",
        "nss gpu",
        "nss-gpu:",
        ":latest",
        "-nss",
        "nss-gpu:lat$est",
        "a//b"
      })
  void invalidImageReference(String image) {
    InvalidSettingException e = buildFails(s -> s.image(image), "nss.image");
    assertTrue(e.getMessage().contains("not a valid image reference"), e.getMessage());
  }

  @Test
  void invalidDevImageReference() {
    assertThrows(
        InvalidSettingException.class,
        () -> f.goals().buildGpu(f.settings().imageDev("Bad"), true));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"amd64", "linux", "linux/", "Linux/AMD64", "linux/amd64/v8/x", "linux amd64"})
  void platformNotOsArch(String platform) {
    InvalidSettingException e = buildFails(s -> s.platform(platform), "nss.platform");
    assertTrue(e.getMessage().contains("os/arch[/variant]"), e.getMessage());
  }

  @Test
  void cudaImageTypeMustBeRuntimeOrDevel() {
    InvalidSettingException e = buildFails(s -> s.cudaImageType("base"), "nss.cudaImageType");
    assertTrue(e.getMessage().contains("runtime or devel"), e.getMessage());
  }

  @Test
  void malformedVersions() {
    buildFails(s -> s.cudaVersion("12"), "nss.cudaVersion");
    buildFails(s -> s.cudaVersion("12.8.1-rc"), "nss.cudaVersion");
    buildFails(s -> s.ubuntuVersion("jammy"), "nss.ubuntuVersion");
    buildFails(s -> s.pythonVersion("3"), "nss.pythonVersion");
    buildFails(s -> s.pythonVersion("2.7.18"), "nss.pythonVersion");
    buildFails(s -> s.uvVersion("latest"), "nss.uvVersion");
    buildFails(s -> s.entrypointBuild("graal"), "nss.entrypointBuild");
  }

  @ParameterizedTest
  @ValueSource(strings = {"80,86", "80;", ";80", "sm_80", "80 86", "8.0"})
  void malformedCudaArchFlags(String flags) {
    InvalidSettingException e = buildFails(s -> s.cudaArchFlags(flags), "nss.cudaArchFlags");
    assertTrue(e.getMessage().contains("80;86;90;90a"), e.getMessage());
  }

  @Test
  void badBuildArgName() {
    buildFails(s -> s.buildArgs(Map.of("1BAD", "x")), "buildArgs");
    buildFails(
        s -> s.cudaVersion("12.8.1").buildArgs(Map.of("CUDA_VERSION", "12.4.1")), "buildArgs");
  }

  @Test
  void dockerfileMissing() {
    InvalidSettingException e = buildFails(s -> s.dockerfile("containers/Nope"), "nss.dockerfile");
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void contextMissing() {
    buildFails(s -> s.context(tmp.resolve("no-such-dir").toString()), "nss.context");
  }

  @Test
  void hfCacheIsARegularFile() throws Exception {
    Files.writeString(f.hfCache, "oops");
    InvalidSettingException e = runFails(s -> s, "nss.hfCache");
    assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
  }

  @Test
  void unbalancedQuotes() {
    runFails(s -> s.extraMounts("-v '/a:/b"), "nss.extraMounts");
    runFails(s -> s.cmdLine("say \"hello"), "nss.cmd");
    runFails(s -> s.gpuFlag("--gpus 'all"), "nss.gpuFlag");
  }

  @Test
  void badShmSize() {
    runFails(s -> s.shmSize("lots"), "nss.shmSize");
  }

  @Test
  void multiArchWithoutRegistry() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class, () -> f.goals().buildMultiArch(f.settings(), null));
    assertTrue(e.getMessage().startsWith("nss.registry" + ": "), e.getMessage());
    assertTrue(
        e.getMessage().contains("multi-platform manifests must be pushed to a registry"),
        e.getMessage());
    assertTrue(f.processes.calls.isEmpty());
  }

  @Test
  void multiArchBuilderNeedsBuildx() {
    f.processes.on("buildx", "echo \"docker: 'buildx' is not a docker command.\" >&2; exit 1");
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                f.goals().buildMultiArch(f.settings().registry("r.example").builder("k8s"), null));
    assertTrue(e.getMessage().startsWith("nss.builder: "), e.getMessage());
    assertTrue(e.getMessage().contains("Install the docker buildx plugin"), e.getMessage());
    assertEquals(1, f.processes.calls.size(), "only the buildx probe ran: " + f.processes.calls);
  }

  @Test
  void foreignPlatformWithoutQemuFailsBeforeAnyEngineCall() throws Exception {
    Files.delete(f.binfmt.resolve("qemu-aarch64"));
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> f.goals().buildMultiArch(f.settings().registry("r.example"), null));
    assertTrue(e.getMessage().startsWith("nss.platforms: "), e.getMessage());
    assertTrue(
        e.getMessage().contains("linux/arm64 is foreign to this linux/amd64 host"), e.getMessage());
    assertTrue(e.getMessage().contains("qemu-user-static and binfmt-support"), e.getMessage());
    assertTrue(f.processes.calls.isEmpty(), f.processes.calls.toString());
  }

  @Test
  void pushNeedsARegistryAndValidTags() {
    InvalidSettingException noRegistry =
        assertThrows(
            InvalidSettingException.class, () -> f.goals().push(f.settings(), false, null));
    assertTrue(noRegistry.getMessage().startsWith("nss.registry: "), noRegistry.getMessage());
    assertTrue(
        assertThrows(
                InvalidSettingException.class,
                () ->
                    f.goals()
                        .push(
                            f.settings().registry("r.example").tags("latest,bad tag"), false, null))
            .getMessage()
            .startsWith("nss.tags: "));
    assertTrue(
        assertThrows(
                InvalidSettingException.class,
                () ->
                    f.goals()
                        .push(f.settings().registry("r.example").tagVariant("cu/128"), false, null))
            .getMessage()
            .startsWith("nss.tagVariant: "));
    assertTrue(f.processes.calls.isEmpty(), f.processes.calls.toString());
  }

  /** The image name is valid alone, but too long with the registry in front of it. */
  @Test
  void aPushedReferenceTooLongNamesTheGoalsImageProperty() {
    String name = "a".repeat(240) + ":1";
    for (boolean dev : new boolean[] {false, true}) {
      InvalidSettingException e =
          assertThrows(
              InvalidSettingException.class,
              () ->
                  f.goals()
                      .push(
                          f.settings().image(name).imageDev(name).registry("registry.example/team"),
                          dev,
                          null));
      String property = dev ? "nss.imageDev" : "nss.image";
      assertTrue(
          e.getMessage().startsWith(property + ": 'registry.example/team/" + "a".repeat(240) + "'"),
          e.getMessage());
    }
    assertTrue(f.processes.calls.isEmpty(), f.processes.calls.toString());
  }

  @Test
  void theRepositoryIsTheImageNameWithoutTagOrDigest() {
    assertEquals("nss-gpu", GoalSpecs.repositoryName("nss-gpu"));
    assertEquals("nss-gpu", GoalSpecs.repositoryName("nss-gpu:1.0"));
    assertEquals("localhost:5000/nss-gpu", GoalSpecs.repositoryName("localhost:5000/nss-gpu"));
    assertEquals(
        "localhost:5000/nss-gpu",
        GoalSpecs.repositoryName("localhost:5000/nss-gpu:2@sha256:" + "ab".repeat(32)));
  }

  @Test
  void pushOfAMissingLocalImageSaysBuildFirst() {
    f.processes.on("image", "echo 'Error: No such image: nss-gpu-dev:latest' >&2; exit 1");
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> f.goals().push(f.settings().registry("r.example"), true, null));
    assertTrue(e.getMessage().startsWith("nss.imageDev: "), e.getMessage());
    assertTrue(e.getMessage().contains("mvn nss:build-gpu-dev nss:push-gpu-dev"), e.getMessage());
    assertEquals(1, f.processes.calls.size(), f.processes.calls.toString());
  }

  @Test
  void multiArchBadPlatformsAndRegistry() {
    assertTrue(
        assertThrows(
                InvalidSettingException.class,
                () ->
                    f.goals()
                        .buildMultiArch(
                            f.settings().registry("r.example").platforms("linux/amd64,arm64"),
                            null))
            .getMessage()
            .startsWith("nss.platforms: "));
    assertTrue(
        assertThrows(
                InvalidSettingException.class,
                () -> f.goals().buildMultiArch(f.settings().registry("https://r.example"), null))
            .getMessage()
            .startsWith("nss.registry: "));
  }

  @Test
  void imageReferencesUpTo255CharactersAreAccepted() throws Exception {
    String name = "a".repeat(248) + ":latest";
    assertEquals(255, name.length());
    f.goals().buildGpu(f.settings().image(name), false);
    assertEquals(name, f.processes.calls.get(0).get(f.processes.calls.get(0).indexOf("--tag") + 1));
    f.processes.calls.clear();
    buildFails(s -> s.image("a" + name), "nss.image");
  }

  @Test
  void badOutputTimestamp() {
    buildFails(s -> s.outputTimestamp("yesterday"), "project.build.outputTimestamp");
  }

  @Test
  void nonAsciiArgumentsAreRefusedInAnAsciiLocale() throws Exception {
    GoalDriver ascii =
        new GoalDriver(
            f.cli(), f.log::add, f.agentJar, StandardCharsets.US_ASCII, f.platforms, Fixture.OWNER);
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> ascii.runGpu(f.settings().cmdLine("echo ü"), false, false));
    assertTrue(e.getMessage().startsWith("LANG" + ": "), e.getMessage());
    assertTrue(
        e.getMessage().contains("argument 31 of `docker create`")
            && e.getMessage().endsWith("export LANG=C.UTF-8."),
        e.getMessage());
    assertThrows(
        InvalidSettingException.class,
        () ->
            ascii.buildGpu(
                f.settings().image("nss-gpu:latest").buildArgs(Map.of("NOTE", "naïve")), false));
    assertTrue(f.processes.calls.isEmpty());
    ascii.runGpu(f.settings().cmdLine("echo u"), false, false);
    assertEquals(3, f.processes.calls.size()); // build, create, start
  }
}
