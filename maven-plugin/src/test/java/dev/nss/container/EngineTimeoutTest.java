package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nss.engineTimeout}: an engine command that never answers (a fake that sleeps) is ended
 * with what it started, and the goal fails naming the command and the setting.
 */
class EngineTimeoutTest {

  @TempDir Path tmp;
  Fixture f;
  Path pid;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    pid = tmp.resolve("hung.pid");
  }

  /** A command that never answers; its shell's pid is written first. */
  private String hangs() {
    return "echo $$ > '" + pid + "'; sleep 120";
  }

  private void assertEnded() throws Exception {
    ProcessHandle hung =
        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElse(null);
    if (hung != null) {
      hung.onExit().get(10, TimeUnit.SECONDS); // a hang guard
    }
  }

  private static void assertNamesTheCommandAndTheSetting(String command, String message) {
    assertTrue(
        message.startsWith("`" + command + "` did not answer within 1 s, so it was stopped"),
        message);
    assertTrue(message.contains("raise -Dnss.engineTimeout=SECONDS"), message);
  }

  @Test
  void aQueryThatNeverAnswersFailsTheGoal() throws Exception {
    f.processes.on("version", hangs());
    ContainerCli cli = f.cli().withEngineTimeout(1);

    CommandFailedException e =
        assertThrows(
            CommandFailedException.class, () -> cli.query(Commands.clientVersion("podman")));

    assertNamesTheCommandAndTheSetting("podman version", e.getMessage());
    assertEquals(-1, e.exitCode(), "never the engine's exit code");
    assertEnded();
  }

  @Test
  void theInspectOfThePullStepIsBoundedToo() throws Exception {
    f.processes.on("image", hangs());
    GoalDriver goals = new GoalDriver(f.cli().withEngineTimeout(1), f.log::add, f.agentJar);

    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> goals.runGpu(f.settings(), false, true));

    assertNamesTheCommandAndTheSetting("docker image", e.getMessage());
    assertEquals(List.of(), f.processes.verbs("pull"), "no pull on a hung engine");
    assertEnded();
  }

  @Test
  void aHungEngineFailsTheRunAtItsFirstQueryEvenBeforeABuild() throws Exception {
    f.processes.on("info", hangs());
    GoalDriver goals = new GoalDriver(f.cli().withEngineTimeout(1), f.log::add, f.agentJar);

    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> goals.runGpu(f.settings().hostUser(0, 0), false, false));

    assertNamesTheCommandAndTheSetting("docker info", e.getMessage());
    assertEquals(
        List.of("info"),
        f.processes.calls.stream().map(call -> call.get(1)).toList(),
        "whether docker is rootless goes unanswered: no build on that engine");
    assertEnded();
  }

  @Test
  void aBuildOnAnEngineThatDoesNotAnswerFailsAtTheQuestionBeforeIt() throws Exception {
    f.processes.on("version", hangs());
    GoalDriver goals = new GoalDriver(f.cli().withEngineTimeout(1), f.log::add, f.agentJar);

    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> goals.buildGpu(f.settings(), false));

    assertNamesTheCommandAndTheSetting("docker version", e.getMessage());
    assertEquals(List.of(EngineQuestionTest.DOCKER), f.processes.calls, "no build");
    assertEquals(-1, e.exitCode(), "never the engine's exit code");
    assertEnded();
  }

  @Test
  void aPushFromAPodmanStoreThatDoesNotAnswerFailsAtTheQuestion() throws Exception {
    f.processes.on("version", hangs()).on("image", PublishTest.INSPECT);
    GoalDriver goals = new GoalDriver(f.cli().withEngineTimeout(1), f.log::add, f.agentJar);

    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () ->
                goals.push(
                    f.settings().cli("podman").registry("127.0.0.1:5000").tags("t"), false, null));

    assertNamesTheCommandAndTheSetting("podman version", e.getMessage());
    assertEquals(List.of(), f.processes.verbs("push"));
    assertEnded();
  }

  @Test
  void theBaseImageQuestionThatDoesNotAnswerFailsTheBuildWithinOneLimit() throws Exception {
    Files.writeString(f.project.resolve("containers/Dockerfile.cuda"), "FROM base:1 AS runtime\n");
    f.processes.on("image", hangs());
    GoalDriver goals = new GoalDriver(f.cli().withEngineTimeout(1), f.log::add, f.agentJar);

    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> goals.buildGpu(f.settings(), false));

    assertNamesTheCommandAndTheSetting("docker image", e.getMessage());
    assertEquals(List.of("image"), f.processes.calls.stream().map(c -> c.get(1)).toList());
    assertEnded();
  }

  @Test
  void aProbeThatDidNotAnswerFailsTheNextBuildAtOnceNamingIt() throws Exception {
    f.processes.on("buildx", hangs());
    GoalDriver goals = new GoalDriver(f.cli().withEngineTimeout(1), f.log::add, f.agentJar);

    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> goals.buildMultiArch(f.settings().registry("127.0.0.1:5000"), null));

    assertNamesTheCommandAndTheSetting("docker buildx", e.getMessage());
    assertEquals(
        List.of(Commands.buildxVersion("docker")),
        f.processes.calls,
        "not asked again: a second limit would pass");
    assertEnded();
  }

  @Test
  void aPodmanProbeThatDidNotAnswerIsNotRunAgainToCleanUp() throws Exception {
    f.processes.on("manifest", hangs());
    GoalDriver goals = new GoalDriver(f.cli().withEngineTimeout(1), f.log::add, f.agentJar);

    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> goals.buildMultiArch(f.settings().cli("podman").registry("r:5000"), null));

    assertNamesTheCommandAndTheSetting("podman manifest", e.getMessage());
    assertEquals(
        List.of(RegistryCommands.manifestRemove("podman", "r:5000/nss-gpu:latest")),
        f.processes.calls,
        "neither the build nor the removal of the list afterwards");
    assertEnded();
  }

  @Test
  void aLoginThatNeverAnswersFailsAndItsPasswordStaysHidden() throws Exception {
    f.processes.on("login", hangs());
    ContainerCli cli = f.cli().withEngineTimeout(1);

    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () ->
                cli.withStdin(
                    List.of("docker", "login", "--username", "u", "--password-stdin", "r:5000"),
                    "s3cr3t".getBytes(StandardCharsets.UTF_8)));

    assertNamesTheCommandAndTheSetting("docker login", e.getMessage());
    assertFalse((e.getMessage() + f.log).contains("s3cr3t"));
    assertEnded();
  }

  @Test
  void aProbeThatNeverAnswersIsNo() throws Exception {
    f.processes.on("buildx", hangs());

    assertFalse(f.cli().withEngineTimeout(1).probe(Commands.buildxVersion("docker")));
    assertEnded();
  }

  @Test
  void aCreateThatNeverAnswersFailsAndTheKeeperRemovesItsName() throws Exception {
    Path cliLog = tmp.resolve("cli.log");
    Path docker = tmp.resolve("docker");
    Files.writeString(docker, "#!/bin/sh\necho \"$*\" >> '" + cliLog + "'\n");
    assertTrue(docker.toFile().setExecutable(true));
    f.processes.on("create", hangs());
    GoalDriver goals = new GoalDriver(f.cli().withEngineTimeout(1), f.log::add, f.agentJar);

    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> goals.runGpu(f.settings().cli(docker.toString()).pull("never"), false, true));

    assertNamesTheCommandAndTheSetting(docker + " create", e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith("The keeper removes container nss-run-test if the engine creates it later."),
        e.getMessage());
    assertEquals(List.of(), f.processes.verbs("start"));
    assertEnded();
    for (int i = 0; i < 100 && !Files.exists(cliLog); i++) {
      Thread.sleep(100); // the keeper removes after its report: a hang guard
    }
    assertEquals("rm -f nss-run-test\n", Files.readString(cliLog));
  }

  @Test
  void aQueryThatDidNotAnswerIsRememberedSoTheNextProbeIsNotRun() throws Exception {
    f.processes.on("info", hangs());
    ContainerCli cli = f.cli().withEngineTimeout(1);

    assertThrows(CommandFailedException.class, () -> cli.query(List.of("docker", "info")));

    assertFalse(cli.probe(Commands.buildxVersion("docker")));
    assertEquals(List.of(List.of("docker", "info")), f.processes.calls, "the probe was not run");
    assertEnded();
  }

  @Test
  void anInterruptedQueryIsStoppedAndTheThreadStaysInterrupted() throws Exception {
    f.processes.on("info", hangs());
    Thread.currentThread().interrupt();
    try {
      CommandFailedException e =
          assertThrows(
              CommandFailedException.class, () -> f.cli().query(List.of("docker", "info")));
      assertEquals(130, e.exitCode());
      assertEquals(
          "Interrupted while running `docker info`; stopped it. Run the goal again.",
          e.getMessage());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aLimitBelowOneSecondIsRefused() {
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> f.cli().withEngineTimeout(0));

    assertEquals(
        "nss.engineTimeout: must be at least 1 second, was 0. Set -Dnss.engineTimeout=SECONDS"
            + " (default 60).",
        e.getMessage());
  }
}
