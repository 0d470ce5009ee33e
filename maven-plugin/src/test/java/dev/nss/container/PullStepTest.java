package dev.nss.container;

import static dev.nss.container.Fixture.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pull step of a run of an image the goal did not build ({@code nss.skipBuild}): its exact argv
 * under each {@code nss.pull} policy, before a create that never pulls.
 */
class PullStepTest {

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered(
        "docker", "/usr/bin/docker", "podman"); // the question before a build: EngineQuestionTest
  }

  private static final List<String> INSPECT =
      argv("docker", "image", "inspect", "--format", "{{.Id}}", "nss-gpu:latest");
  private static final List<String> PULL =
      argv("docker", "pull", "--platform", "linux/amd64", "nss-gpu:latest");

  /** The verbs of the calls, in order. */
  private List<String> verbs() {
    return f.processes.calls.stream().map(call -> call.get(1)).toList();
  }

  @Test
  void missingPullsOnlyAnImageTheLocalStoreLacks() throws Exception {
    f.processes.on("image", "echo 'Error: No such image: nss-gpu:latest' >&2; exit 1");
    f.goals().runGpu(f.settings(), false, true);

    assertEquals(List.of("image", "pull", "create", "start"), verbs());
    assertEquals(INSPECT, f.processes.calls.get(0));
    assertEquals(PULL, f.processes.calls.get(1));
    assertTrue(f.processes.calls.get(2).contains("--pull=never"), "the create never pulls");
    assertTrue(
        f.log.contains("docker pull --platform linux/amd64 nss-gpu:latest"), f.log.toString());
  }

  @Test
  void missingDoesNotPullALocalImage() throws Exception {
    f.goals().runGpu(f.settings().pull("missing"), false, true);

    assertEquals(List.of("image", "create", "start"), verbs());
    assertTrue(
        f.log.contains(
            "[nss] nss-gpu:latest is in the local image store: not pulled (nss.pull=missing)"),
        f.log.toString());
  }

  @Test
  void anEngineThatCannotSayIsAFailureNotAPull() throws Exception {
    f.processes.on(
        "image",
        "echo 'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon"
            + " running?' >&2; exit 1");
    assertThrows(CommandFailedException.class, () -> f.goals().runGpu(f.settings(), false, true));

    assertEquals(List.of("image"), verbs());
  }

  @Test
  void alwaysPullsWithoutAsking() throws Exception {
    f.goals().runGpu(f.settings().pull("ALWAYS"), false, true);

    assertEquals(List.of("pull", "create", "start"), verbs());
    assertEquals(PULL, f.processes.calls.get(0));
  }

  @Test
  void neverLeavesItToTheCreateWhichFailsOnAMissingImage() throws Exception {
    f.processes.on("create", "echo 'Error: No such image: nss-gpu:latest' >&2; exit 1");
    assertThrows(
        CommandFailedException.class,
        () -> f.goals().runGpu(f.settings().pull("never"), false, true));

    assertEquals(List.of("create"), verbs());
    assertTrue(f.processes.calls.get(0).contains("--pull=never"));
  }

  @Test
  void podmanPullsFromAnInsecureRegistryWithoutTlsVerification() throws Exception {
    f.goals()
        .testCi(
            f.settings()
                .cli("podman")
                .testImage("127.0.0.1:5000/t:1")
                .registryInsecure(true)
                .pull("always"),
            true);

    assertEquals(
        argv(
            "podman",
            "pull",
            "--platform",
            "linux/amd64",
            "--tls-verify=false",
            "127.0.0.1:5000/t:1"),
        f.processes.calls.get(0));
  }

  @Test
  void anImageBuiltByTheGoalIsNotPulled() throws Exception {
    f.goals().testCi(f.settings().pull("always"), false);

    assertEquals(List.of("build", "create", "start"), verbs());
  }

  @Test
  void aFailedPullCreatesNothing() throws Exception {
    f.processes.on("pull", "echo 'unauthorized: authentication required' >&2; exit 1");
    assertThrows(
        CommandFailedException.class,
        () -> f.goals().runGpu(f.settings().pull("always"), false, true));

    assertEquals(List.of("pull"), verbs());
  }

  @Test
  void anUnknownPolicyIsRefusedBeforeAnyCommand() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> f.goals().runGpu(f.settings().pull("sometimes"), false, true));

    assertEquals(
        "nss.pull: unknown pull policy 'sometimes'. Set -Dnss.pull to missing, always or never.",
        e.getMessage());
    assertEquals(List.of(), f.processes.calls);
  }

  @Test
  void theDryRunAsksTheLocalStoreAndPrintsThePullThatWouldRun() throws Exception {
    f.dryRun = true;
    f.processes.on("image", "echo 'Error: image not known' >&2; exit 125");
    f.goals().runGpu(f.settings(), false, true);

    assertEquals(List.of(INSPECT), f.processes.calls, "the read-only question only");
    int pull = f.log.indexOf("[dry-run] docker pull --platform linux/amd64 nss-gpu:latest");
    assertTrue(pull >= 0, f.log.toString());
    assertTrue(f.log.get(pull + 2).startsWith("[dry-run] docker create "), f.log.toString());
  }
}
