package dev.nss.doctor;

import static dev.nss.doctor.FakeCommandRunner.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.Command;
import dev.nss.core.CommandResult;
import dev.nss.core.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cli, engine, buildkit and buildx against output captured from the Docker 20.10 engine and both
 * clients here.
 */
class EngineChecksTest {

  private static final String INFO = "docker info --format {{json .}}";
  private static final String PROBE_PREFIX = "docker build --no-cache --output type=local,dest=";

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
    Finding f =
        new CliCheck().run(host.context(host.settings().containerCli(docker.toString()).build()));
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
    host.runner.answer(
        INFO, 1, "", "permission denied while trying to connect to the Docker daemon socket\n");
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
  void buildKitProbeRunsTwoRunStepsSharingALockedCacheWithBuildKitOn() throws Exception {
    String[] dockerfile = new String[1];
    byte[][] program = new byte[1][];
    FakeCommandRunner runner = host.runner;
    host.dockerWithCapturedInfo();
    CommandRunner probe =
        command -> {
          CommandResult recorded = runner.run(command);
          if (!FakeCommandRunner.key(command.argv()).startsWith(PROBE_PREFIX)) {
            return recorded;
          }
          Path context = Path.of(command.argv().get(command.argv().size() - 1));
          try {
            dockerfile[0] = Files.readString(context.resolve("Dockerfile"));
            program[0] = Files.readAllBytes(context.resolve(BuildKitProbe.PROBE_PROGRAM));
            assertTrue(Files.isExecutable(context.resolve(BuildKitProbe.PROBE_PROGRAM)));
          } catch (java.io.IOException e) {
            throw new AssertionError(e);
          }
          return CommandResult.exited(0, "", resource("docker/buildkit-ok-client-20.10.err"));
        };
    Finding f =
        new BuildKitCheck().run(new CheckContext(host.settings().build(), host.environment(probe)));
    assertEquals(
        Finding.ok(
            "cache mounts build with docker (DOCKER_BUILDKIT=1); RUN steps sharing a locked cache"
                + " do not hang"),
        f);
    Command build = host.runner.commands().get(1);
    List<String> argv = build.argv();
    assertEquals(List.of("build", "--no-cache", "--output"), argv.subList(1, 4));
    assertTrue(
        argv.get(4).startsWith("type=local,dest=" + tmp.resolve("nss-doctor-buildkit")),
        argv.get(4));
    assertEquals(List.of("-f"), argv.subList(5, 6));
    assertEquals(8, argv.size());
    assertEquals(Map.of("DOCKER_BUILDKIT", "1"), build.extraEnv());
    assertEquals(
        2,
        dockerfile[0]
            .lines()
            .filter(
                l ->
                    l.startsWith(
                        "RUN --mount=type=cache,id=nss-doctor-probe-locked,"
                            + "target=/locked,sharing=locked --mount=type=cache,id=nss-doctor-probe-shared"))
            .count(),
        dockerfile[0]);
    assertEquals(
        List.of("nss-doctor-probe-locked"), LockedCacheMounts.reusedLockedIds(dockerfile[0]));
    assertEquals(
        "\u007fELF", new String(program[0], 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
    assertEquals(0x3e, program[0][18], "x86-64, as docker info says");
    assertFalse(
        Files.exists(Path.of(argv.get(4).substring("type=local,dest=".length()))),
        "temp dir removed");
    try (var left = Files.list(tmp)) {
      assertEquals(
          List.of(),
          left.filter(p -> p.getFileName().toString().startsWith("nss-doctor-buildkit")).toList(),
          "the probe's context and output are removed");
    }
  }

  @Test
  void anEngineOfAnotherArchitectureIsNotProbed() throws Exception {
    host.withInfo(
        "docker",
        resource("docker/info-client-20.10.json")
            .replace("\"Architecture\":\"x86_64\"", "\"Architecture\":\"s390x\""));
    assertEquals(
        Finding.warning(
            "not probed: no probe program for the engine's architecture 's390x'",
            "build the image once (mvn nss:build-gpu) to see whether this builder handles cache"
                + " mounts"),
        new BuildKitCheck().run(host.context()));
    assertEquals(List.of(INFO), host.runner.keys());
  }

  @Test
  void aFailedPodmanProbeAsksForANewerPodman() throws Exception {
    host.podmanWithInfo();
    Finding f =
        probeAnswered(CommandResult.exited(125, "", "Error: building at STEP \"RUN\": exit 1\n"));
    assertEquals(
        new Finding(
            Status.ERROR,
            "probe build failed: Error: building at STEP \"RUN\": exit 1 (exit status 125)",
            "update Podman (4.x or later builds RUN --mount=type=cache)"),
        f);
  }

  @Test
  void aFailedDockerProbeAsksForANewerDockerOrBuildx() throws Exception {
    host.dockerWithCapturedInfo();
    Finding f = probeAnswered(CommandResult.exited(1, "", "failed to solve: rpc error\n"));
    assertEquals(
        "update Docker (20.10+) or install the buildx plugin (docker-buildx-plugin)", f.fix());
  }

  @Test
  void aBuilderThatDoesNotKnowMountLacksBuildKit() throws Exception {
    host.dockerWithCapturedInfo();
    Finding f =
        probeAnswered(
            CommandResult.exited(125, "", "unknown flag: --mount\nUnknown flag: mount\n"));
    assertEquals(Status.ERROR, f.status());
    assertTrue(f.fix().startsWith("this builder lacks BuildKit: use Docker 18.09+"), f.fix());
  }

  /** The buildkit check with its probe build answered by {@code answer}. */
  private Finding probeAnswered(CommandResult answer) throws Exception {
    FakeCommandRunner runner = host.runner;
    CommandRunner probe =
        command -> {
          CommandResult recorded = runner.run(command);
          return command.argv().contains("build") ? answer : recorded;
        };
    return new BuildKitCheck()
        .run(new CheckContext(host.settings().build(), host.environment(probe)));
  }

  @Test
  void aHangingProbeIsAnErrorWhenTheProjectDockerfileReusesALockedCacheId() throws Exception {
    Path dockerfile = tmp.resolve("Dockerfile.cuda");
    Files.writeString(
        dockerfile,
        """
        FROM base AS deps
        RUN --mount=type=cache,id=apt,target=/var/cache/apt,sharing=locked \\
            --mount=type=cache,id=lists,target=/var/lib/apt/lists,sharing=locked apt-get update
        FROM base AS runtime
        RUN --mount=type=cache,id=apt,target=/var/cache/apt,sharing=locked \\
            --mount=type=cache,id=lists,target=/var/lib/apt/lists,sharing=locked apt-get update
        """);
    Finding f = hangingProbe(List.of(dockerfile));
    assertEquals(Status.ERROR, f.status());
    assertEquals(
        "two RUN steps sharing a sharing=locked cache mount did not finish within 30 s: podman (buildah)"
            + " hangs on them; a build would hang on the locked cache ids reused in "
            + dockerfile
            + " (apt, lists)",
        f.value());
    assertTrue(f.fix().contains("mvn nss:init -Dnss.force=true"), f.fix());
  }

  @Test
  void aHangingProbeIsAWarningWhenTheDockerfilesAvoidThePattern() throws Exception {
    Finding f = hangingProbe(List.of());
    assertEquals(Status.WARNING, f.status());
    assertTrue(
        f.value().endsWith("hangs on them; the bundled Dockerfiles avoid that pattern"), f.value());
    assertTrue(
        f.fix()
            .startsWith(
                "when you edit the Dockerfiles, give each sharing=locked cache id one RUN step"),
        f.fix());
  }

  /**
   * Podman probes into a store of its own, so a probe stopped at the time limit leaves nothing in
   * the real one.
   */
  @Test
  void podmanProbesInAThrowAwayStore() throws Exception {
    host.podmanWithInfo();
    new BuildKitCheck().run(host.context());
    Command build = host.runner.commands().get(1);
    List<String> argv = build.argv();
    assertEquals(
        List.of("--root", "--runroot", "--storage-driver", "vfs", "build", "--no-cache"),
        List.of(argv.get(1), argv.get(3), argv.get(5), argv.get(6), argv.get(7), argv.get(8)));
    assertTrue(argv.get(2).startsWith(tmp.resolve("nss-doctor-buildkit").toString()), argv.get(2));
    assertEquals(Map.of(), build.extraEnv());
  }

  private Finding hangingProbe(List<Path> dockerfiles) throws Exception {
    host.podmanWithInfo();
    FakeCommandRunner runner = host.runner;
    CommandRunner probe =
        command -> {
          CommandResult recorded = runner.run(command);
          return command.argv().contains("build")
              ? CommandResult.timedOut(
                  Duration.ofSeconds(30), "[1/2] STEP 4/4: RUN --mount=...", "")
              : recorded;
        };
    return new BuildKitCheck()
        .run(
            new CheckContext(
                host.settings().dockerfiles(dockerfiles).build(), host.environment(probe)));
  }

  @Test
  void buildKitWithoutBuildxPointsAtAClientWithBuiltInBuildKit() throws Exception {
    Finding f = probeWith(1, "docker/buildkit-no-buildx-client-28.2.err");
    assertEquals(Status.ERROR, f.status());
    assertEquals(
        "probe build failed: ERROR: BuildKit is enabled but the buildx component is missing or broken."
            + " (exit status 1)",
        f.value());
    assertEquals(
        "this docker client needs the buildx plugin for BuildKit: install docker-buildx-plugin",
        f.fix(),
        "no other client here to name");
  }

  /**
   * The fix names another docker client only when that one can build: buildx, or BuildKit built in
   * (20.x-22.x).
   */
  @Test
  void buildKitFixNamesAnotherClientThatHasBuildKit() throws Exception {
    host.hostProgram("/usr/bin/docker");
    host.runner.answer("docker version --format {{.Client.Version}}", 0, "20.10.24+dfsg1\n", "");
    Finding f = probeWith(1, "docker/buildkit-no-buildx-client-28.2.err");
    assertTrue(
        f.fix()
            .endsWith(
                ", or use -Dnss.containerCli="
                    + tmp.resolve("root/usr/bin/docker").toRealPath()
                    + " (docker 20.10.24+dfsg1, BuildKit built in)"),
        f.fix());
    host.runner.answer("docker version --format {{.Client.Version}}", 0, "28.2.2\n", "");
    assertFalse(
        probeWith(1, "docker/buildkit-no-buildx-client-28.2.err").fix().contains("or use"),
        "a 28.x client without buildx is no way out");
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
  void buildxMissingIsOnlyAWarning() throws Exception {
    host.program("docker");
    host.runner.answer(
        "docker buildx version", 1, "", resource("docker/buildx-missing-client-20.10.err"));
    Finding f = new BuildxCheck().run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertEquals(
        "not installed (docker: 'buildx' is not a docker command.); build-gpu-multiarch then builds each platform and "
            + "pushes a manifest list",
        f.value());
    host.runner.answer(
        "docker buildx version", 1, "", resource("docker/buildx-missing-client-28.2.err"));
    assertEquals(Status.WARNING, new BuildxCheck().run(host.context()).status());
  }

  @Test
  void buildxPresent() throws Exception {
    host.program("docker");
    host.runner.answer(
        "docker buildx version", 0, "github.com/docker/buildx v0.12.1 30feaa1\n", "");
    assertEquals(
        Finding.ok("github.com/docker/buildx v0.12.1 30feaa1"),
        new BuildxCheck().run(host.context()));
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
    java.nio.file.Path binfmt =
        java.nio.file.Files.createDirectories(host.root.resolve("proc/sys/fs/binfmt_misc"));
    java.nio.file.Files.writeString(binfmt.resolve("status"), "enabled\n");
    java.nio.file.Files.writeString(
        binfmt.resolve("qemu-" + arch), "enabled\ninterpreter /usr/bin/qemu\n");
    Finding some = new PlatformsCheck().run(host.context());
    assertEquals(Status.OK, some.status(), some.value());
    assertTrue(
        some.value().matches("linux/\\w+ \\(native\\), linux/(arm64|amd64) \\(qemu\\)"),
        some.value());
  }

  /**
   * The buildkit check on the captured engine, its probe build answered (and recorded) with this
   * exit and stderr.
   */
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
    return new BuildKitCheck()
        .run(new CheckContext(host.settings().build(), host.environment(probe)));
  }

  @Test
  void aCliWhoseVersionTimesOutIsFoundButPointsAtTheEngine() throws Exception {
    Path docker = host.program("docker");
    host.runner.answer("docker --version", CommandResult.timedOut(Duration.ofSeconds(7), "", ""));
    assertEquals(
        Finding.warning(
            "found at "
                + docker
                + ", but --version timed out after 7s (it contacts the engine first)",
            "see the engine check"),
        new CliCheck().run(host.context()));
  }

  @Test
  void aCliThatCannotStartIsAnErrorSayingWhy() throws Exception {
    Path docker = host.program("docker");
    String why = "cannot run " + docker + ": error=13, Permission denied";
    host.runner.answer("docker --version", CommandResult.notStarted(why));
    assertEquals(
        Finding.error(
            docker + " does not run: " + why,
            "reinstall it, or pick another CLI: -Dnss.containerCli=/path/to/docker"),
        new CliCheck().run(host.context()));
  }

  @Test
  void aConfiguredCliThatIsMissingNamesTheSetting() throws Exception {
    Path missing = tmp.resolve("nowhere/docker");
    Finding f =
        new CliCheck().run(host.context(host.settings().containerCli(missing.toString()).build()));
    assertEquals(
        Finding.error(
            missing + " not found on PATH",
            "install " + missing + " or correct -Dnss.containerCli (now '" + missing + "')"),
        f);
  }

  @Test
  void theEngineCheckWithoutACliSaysHowToGetOne() throws Exception {
    Finding f = new EngineCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertEquals("docker not found on PATH", f.value());
    assertTrue(f.fix().contains("-Dnss.containerCli="), f.fix());
  }

  @Test
  void podmanThatDoesNotAnswerIsToBeStarted() throws Exception {
    host.program("podman");
    host.runner.answer(
        "podman info --format {{json .}}", 125, "", "Error: unable to connect to Podman\n");
    Finding f = new EngineCheck().run(host.context());
    assertEquals(
        Finding.error(
            "Error: unable to connect to Podman (exit status 125)",
            "start Podman (podman machine start on macOS/Windows) or check podman system connection"
                + " list"),
        f);
  }

  @Test
  void infoThatExitsZeroWithoutOutputIsAnErrorNamingStderr() throws Exception {
    host.program("docker");
    host.runner.answer(INFO, 0, "", "WARNING: no engine context\n");
    Finding f = new EngineCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertEquals("WARNING: no engine context (exit status 0)", f.value());
  }

  @Test
  void aProbeThatCrashesIsAnEngineError() throws Exception {
    host.program("docker");
    CommandRunner crashing =
        command -> {
          throw new IllegalStateException("runner exploded");
        };
    Finding f =
        new EngineCheck()
            .run(new CheckContext(host.settings().build(), host.environment(crashing)));
    assertEquals(
        Finding.error("engine check failed: java.lang.IllegalStateException: runner exploded", ""),
        f);
  }

  @Test
  void podmanRuntimesAreItsOciRuntime() {
    String info = resource("podman/info-handwritten-4.3.json");
    assertEquals(
        List.of("crun"), EngineInfo.parse(info, new StringBuilder()).orElseThrow().runtimes());
    String without = info.replace("\"ociRuntime\":{\"name\":\"crun\",", "\"ociRuntime\":{");
    assertEquals(
        List.of(), EngineInfo.parse(without, new StringBuilder()).orElseThrow().runtimes());
  }
}
