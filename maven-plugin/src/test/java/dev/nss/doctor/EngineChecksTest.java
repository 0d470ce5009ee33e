package dev.nss.doctor;

import static dev.nss.doctor.FakeCommandRunner.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cli, engine, buildkit and buildx against output captured from the Docker 20.10 engine and both clients here. */
class EngineChecksTest {

  private static final String INFO = "docker info --format {{json .}}";
  private static final String PROBE_PREFIX = "docker build --output type=local,dest=";

  @TempDir Path tmp;
  private TestHost host;

  @BeforeEach
  void setUp() {
    host = new TestHost(tmp);
  }

  @Test
  void cliMissingIsAnErrorNamingTheSetting() throws Exception {
    Finding f = new CliCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertEquals("docker not found on PATH", f.value());
    assertTrue(f.fix().contains("-Dnss.containerCli="), f.fix());
    assertTrue(host.runner.commands().isEmpty());
  }

  @Test
  void cliPrefersPodmanOnPathAndReportsItsVersion() throws Exception {
    host.program("docker");
    Path podman = host.program("podman");
    host.runner.answer("podman --version", 0, "podman version 4.3.1\n", "");
    Finding f = new CliCheck().run(host.context());
    assertEquals(Finding.ok("podman version 4.3.1 at " + podman), f);
    assertEquals(List.of(podman.toString(), "--version"), host.runner.commands().get(0).argv());
  }

  @Test
  void cliConfiguredPathIsUsedAsGiven() throws Exception {
    Path docker = host.hostProgram("/usr/bin/docker");
    host.runner.answer("docker --version", 0, resource("docker/version-client-20.10.txt"), "");
    Finding f = new CliCheck().run(host.context(host.settings().containerCli(docker.toString()).build()));
    assertEquals(Finding.ok("Docker version 20.10.24+dfsg1, build 297e128 at " + docker), f);
  }

  @Test
  void cliThatDoesNotRunIsAnError() throws Exception {
    host.program("docker");
    host.runner.answer("docker --version", 126, "", "permission denied\n");
    Finding f = new CliCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertTrue(f.value().contains("permission denied (exit status 126)"), f.value());
  }

  @Test
  void engineFromCapturedInfo() throws Exception {
    host.dockerWithCapturedInfo();
    Finding f = new EngineCheck().run(host.context());
    assertEquals(
        Finding.ok("Docker Engine 20.10.24+dfsg1, storage overlay2, root /var/lib/docker"), f);
  }

  @Test
  void engineDownWith2010ClientExitsZeroButIsAnError() throws Exception {
    host.withInfo("docker", resource("docker/info-engine-down-client-20.10.json"));
    Finding f = new EngineCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertEquals(
        "Cannot connect to the Docker daemon at unix:///tmp/nss-no-engine.sock. Is the docker daemon running?",
        f.value());
    assertTrue(f.fix().contains("systemctl start docker"), f.fix());
  }

  @Test
  void engineDownWith28ClientIsAnError() throws Exception {
    host.program("docker");
    host.runner.answer(
        INFO,
        1,
        resource("docker/info-engine-down-client-28.2.json"),
        resource("docker/info-engine-down-client-28.2.err"));
    Finding f = new EngineCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertTrue(f.value().startsWith("Cannot connect to the Docker daemon"), f.value());
    assertTrue(f.value().endsWith("(exit status 1)"), f.value());
  }

  @Test
  void engineTimeoutIsReportedWithTheLimit() throws Exception {
    host.program("docker");
    host.runner.answer(INFO, CommandResult.timedOut(Duration.ofSeconds(7), "", ""));
    Finding f = new EngineCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertEquals("timed out after 7s", f.value());
  }

  @Test
  void enginePermissionDeniedSuggestsTheDockerGroup() throws Exception {
    host.program("docker");
    host.runner.answer(INFO, 1, "", "permission denied while trying to connect to the Docker daemon socket\n");
    Finding f = new EngineCheck().run(host.context());
    assertTrue(f.fix().contains("usermod -aG docker"), f.fix());
  }

  @Test
  void podmanInfoIsRead() throws Exception {
    host.podmanWithInfo();
    Finding f = new EngineCheck().run(host.context());
    assertEquals(Finding.ok("Podman 4.3.1, storage overlay, root /var/lib/containers/storage"), f);
  }

  @Test
  void infoIsRunOnceForAllChecksThatNeedIt() throws Exception {
    host.dockerWithCapturedInfo();
    CheckContext context = host.context();
    new EngineCheck().run(context);
    new NvidiaRuntimeCheck().run(context);
    new DiskCheck().run(context);
    assertEquals(List.of(INFO), host.runner.keys());
  }

  @Test
  void buildKitProbeRunsTheCacheMountDockerfileWithBuildKitOn() throws Exception {
    Finding f = probeWith(0, "docker/buildkit-ok-client-20.10.err");
    assertEquals(Finding.ok("cache mounts build with docker (DOCKER_BUILDKIT=1)"), f);
    Command build = host.runner.commands().get(1);
    List<String> argv = build.argv();
    assertEquals(List.of("build", "--output"), argv.subList(1, 3));
    assertTrue(argv.get(3).startsWith("type=local,dest=" + tmp.resolve("nss-doctor-buildkit")), argv.get(3));
    assertEquals("-", argv.get(4));
    assertEquals(5, argv.size());
    assertEquals(Map.of("DOCKER_BUILDKIT", "1"), build.extraEnv());
    assertTrue(build.stdin().contains("RUN --mount=type=cache"), build.stdin());
    assertFalse(Files.exists(Path.of(argv.get(3).substring("type=local,dest=".length()))), "temp dir removed");
  }

  @Test
  void buildKitWithoutBuildxPointsAtAClientWithBuiltInBuildKit() throws Exception {
    Finding f = probeWith(1, "docker/buildkit-no-buildx-client-28.2.err");
    assertEquals(Status.ERROR, f.status());
    assertEquals(
        "probe build failed: ERROR: BuildKit is enabled but the buildx component is missing or broken."
            + " (exit status 1)",
        f.value());
    assertTrue(f.fix().contains("-Dnss.containerCli=/usr/bin/docker"), f.fix());
  }

  @Test
  void legacyBuilderCannotDoCacheMounts() throws Exception {
    Finding f = probeWith(1, "docker/buildkit-legacy-builder-client-20.10.err");
    assertEquals(Status.ERROR, f.status());
    assertTrue(f.value().contains("the --mount option requires BuildKit"), f.value());
    assertTrue(f.fix().startsWith("this builder lacks BuildKit"), f.fix());
  }

  @Test
  void buildKitIsNotProbedWhenTheEngineIsDown() throws Exception {
    host.withInfo("docker", resource("docker/info-engine-down-client-20.10.json"));
    Finding f = new BuildKitCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertTrue(f.value().startsWith("not checked: engine unreachable (Cannot connect"), f.value());
    assertEquals(List.of(INFO), host.runner.keys());
  }

  @Test
  void podmanProbeHasNoDockerBuildKitVariable() throws Exception {
    host.podmanWithInfo();
    new BuildKitCheck().run(host.context());
    Command build = host.runner.commands().get(1);
    assertEquals("build", build.argv().get(1));
    assertEquals(Map.of(), build.extraEnv());
  }

  @Test
  void buildxMissingIsOnlyAWarning() throws Exception {
    host.program("docker");
    host.runner.answer("docker buildx version", 1, "", resource("docker/buildx-missing-client-20.10.err"));
    Finding f = new BuildxCheck().run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertEquals(
        "not installed (docker: 'buildx' is not a docker command.); build-gpu-multiarch then builds each platform and "
            + "pushes a manifest list", f.value());
    host.runner.answer("docker buildx version", 1, "", resource("docker/buildx-missing-client-28.2.err"));
    assertEquals(Status.WARNING, new BuildxCheck().run(host.context()).status());
  }

  @Test
  void buildxPresent() throws Exception {
    host.program("docker");
    host.runner.answer("docker buildx version", 0, "github.com/docker/buildx v0.12.1 30feaa1\n", "");
    assertEquals(Finding.ok("github.com/docker/buildx v0.12.1 30feaa1"), new BuildxCheck().run(host.context()));
  }

  @Test
  void buildxIsNotNeededWithPodman() throws Exception {
    host.program("podman");
    Finding f = new BuildxCheck().run(host.context());
    assertEquals(Status.OK, f.status());
    assertTrue(f.value().contains("podman build --manifest"), f.value());
    assertTrue(host.runner.commands().isEmpty());
  }

  @Test
  void platformsAreTheHostsPlusWhatQemuEmulates() throws Exception {
    String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "x86_64" : "aarch64";
    Finding none = new PlatformsCheck().run(host.context());
    assertEquals(Status.WARNING, none.status());
    assertTrue(none.fix().contains("qemu-user-static binfmt-support"), none.fix());
    java.nio.file.Path binfmt = java.nio.file.Files.createDirectories(host.root.resolve("proc/sys/fs/binfmt_misc"));
    java.nio.file.Files.writeString(binfmt.resolve("status"), "enabled\n");
    java.nio.file.Files.writeString(binfmt.resolve("qemu-" + arch), "enabled\ninterpreter /usr/bin/qemu\n");
    Finding some = new PlatformsCheck().run(host.context());
    assertEquals(Status.OK, some.status(), some.value());
    assertTrue(some.value().matches("linux/\\w+ \\(native\\), linux/(arm64|amd64) \\(qemu\\)"), some.value());
  }

  /** The buildkit check on the captured engine, its probe build answered (and recorded) with this exit and stderr. */
  private Finding probeWith(int exit, String stderrResource) throws Exception {
    host.dockerWithCapturedInfo();
    FakeCommandRunner runner = host.runner;
    CommandRunner probe =
        command -> {
          CommandResult recorded = runner.run(command);
          return FakeCommandRunner.key(command.argv()).startsWith(PROBE_PREFIX)
              ? CommandResult.exited(exit, "", resource(stderrResource))
              : recorded;
        };
    return new BuildKitCheck().run(new CheckContext(host.settings().build(), host.environment(probe)));
  }
}
