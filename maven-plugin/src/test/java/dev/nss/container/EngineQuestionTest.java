package dev.nss.container;

import static dev.nss.container.Fixture.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds, pushes and pulls have no time limit, so an engine that has not answered lately is asked
 * {@link EngineAnswers#question} first, within {@code nss.engineTimeout} (what a hung one does:
 * {@link EngineTimeoutTest}). The fixture's Dockerfiles start {@code FROM scratch}: no base image
 * is asked about.
 */
class EngineQuestionTest {

  static final List<String> DOCKER = argv("docker", "version", "--format", "{{.Server.Version}}");
  static final List<String> PODMAN = argv("podman", "version", "--format", "{{.Client.Version}}");

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    Files.writeString(f.project.resolve(".dockerignore"), ".env\n"); // else a warning is logged
  }

  private List<String> verbs() {
    return f.processes.calls.stream().map(call -> call.get(1)).toList();
  }

  @Test
  void aBuildIsPrecededByTheQuestionOnEachEngine() throws Exception {
    f.goals().buildTest(f.settings());
    assertEquals(DOCKER, f.processes.calls.get(0));
    assertEquals(List.of("version", "build"), verbs());
    assertEquals("docker version --format '{{.Server.Version}}'", f.log.get(0), "logged as is");

    f.processes.calls.clear();
    f.goals().buildGpu(f.settings().cli("podman").projectVersion("1"), false);
    assertEquals(PODMAN, f.processes.calls.get(0));
    // the relabelling build follows a build that ended: the engine answered
    assertEquals(List.of("version", "build", "build"), verbs());
  }

  @Test
  void aQueryOfTheGoalThatReachesTheDockerDaemonIsItsAnswer() throws Exception {
    // root on docker with nss.user=auto: whether the daemon is rootless is asked in planning
    f.goals().runGpu(f.settings().hostUser(0, 0), false, false);
    assertEquals(List.of("info", "build", "create", "start"), verbs());
  }

  @Test
  void podmansVersionAskedForTheGpuFlagsIsItsAnswer() throws Exception {
    f.processes.on("version", "echo 5.0.0");
    f.goals().runGpu(f.settings().cli("podman").gpuFlag("--gpus all"), false, false);
    assertEquals(PODMAN, f.processes.calls.get(0));
    assertEquals(List.of("version", "build", "create", "start", "rm"), verbs());
  }

  @Test
  void podmansImageInspectIsNotItsAnswer() throws Exception {
    // push-gpu asks for the local image first; on podman that takes not every lock of the store
    f.processes.on("image", PublishTest.INSPECT).on("push", PublishTest.WRITE_DIGESTFILE);
    f.goals().push(f.settings().cli("podman").registry("127.0.0.1:5000").tags("t"), false, null);
    assertEquals(List.of("image", "version", "push"), verbs());
  }

  @Test
  void anAnswerServesTheGoalsOfOneMavenRunForTenSeconds() throws Exception {
    f.goals().buildTest(f.settings());
    f.nanos.addAndGet(EngineAnswers.FRESH.toNanos() - 1);
    f.goals().buildTest(f.settings()); // the next goal, through a CLI of its own
    assertEquals(List.of("version", "build", "build"), verbs());

    f.nanos.addAndGet(EngineAnswers.FRESH.toNanos()); // the second build ended 10 s ago
    f.goals().buildTest(f.settings());
    assertEquals(List.of("version", "build", "build", "version", "build"), verbs());
  }

  @Test
  void aDryRunPrintsTheQuestionAsTheRealRunAsksIt() throws Exception {
    f.dryRun = true;
    f.goals().buildGpu(f.settings().cli("podman").projectVersion("1"), false);
    assertEquals(List.of(), f.processes.calls, "nothing runs");
    assertEquals("[dry-run] podman version --format '{{.Client.Version}}'", f.log.get(0));
    assertEquals(
        3, f.log.stream().filter(l -> l.startsWith("[dry-run] podman ")).count(), f.log.toString());
  }

  @Test
  void aBuildThatEndedIsTheEnginesAnswer() throws Exception {
    f.goals().buildTest(f.settings());
    f.nanos.addAndGet(EngineAnswers.FRESH.toNanos() - 1);
    f.goals().buildTest(f.settings());
    f.nanos.addAndGet(EngineAnswers.FRESH.toNanos() - 1); // the question was asked 20 s ago
    f.goals().buildTest(f.settings());
    assertEquals(List.of("version", "build", "build", "build"), verbs());
  }

  @Test
  void aDryRunPrintsTheQuestionOncePerEngineEvenBeforeARegistryCommand() throws Exception {
    f.dryRun = true;
    ContainerCli cli = f.cli();
    // docker's manifest commands reach only a registry: no answer of the engine
    cli.stream(argv("docker", "manifest", "push", "r:5000/a"));
    cli.stream(argv("docker", "manifest", "push", "r:5000/b"));
    assertEquals(
        List.of(
            "[dry-run] docker version --format '{{.Server.Version}}'",
            "[dry-run] docker manifest push r:5000/a",
            "[dry-run] docker manifest push r:5000/b"),
        f.log);
  }

  @Test
  void aRegistryCommandOfDockerIsNoAnswerOfItsEngine() throws Exception {
    ContainerCli cli = f.cli();
    cli.stream(argv("docker", "manifest", "push", "r:5000/a"));
    f.nanos.addAndGet(EngineAnswers.FRESH.toNanos() - 1);
    cli.stream(argv("docker", "manifest", "push", "r:5000/b"));
    f.nanos.addAndGet(EngineAnswers.FRESH.toNanos() - 1); // the question was asked 20 s ago
    cli.stream(argv("docker", "manifest", "push", "r:5000/c"));
    assertEquals(List.of("version", "manifest", "manifest", "version", "manifest"), verbs());
  }
}
