package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the goals read of a command's output, and what of it reaches the user. */
class ContainerCliOutputTest {

  private static final String GPU_ERROR = "could not select device driver";

  /** The diagnosis keeps this much of the output's end. */
  private static final int TAIL = 16 * 1024;

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered("docker", "podman"); // the question before a build: EngineQuestionTest
  }

  @Test
  void theDiagnosisSeesTheLast16KiBOfABuildsOutputAndNoMore() {
    // The GPU error line opens output of exactly 16 KiB, then of one character more.
    String filler = "x".repeat(TAIL - (GPU_ERROR.length() + 1) - 1);
    assertTrue(buildFails(echo(GPU_ERROR) + echo(filler)).contains("nss.gpuFlag"));
    assertTrue(
        buildFails(echo(GPU_ERROR) + echo(filler + "x"))
            .startsWith("`docker build` failed with exit code 1"));
  }

  @Test
  void aLongLineIsKeptWholeEvenWhenItAloneExceedsTheTail() {
    assertTrue(buildFails(echo("y".repeat(TAIL + 100) + " " + GPU_ERROR)).contains("nss.gpuFlag"));
  }

  @Test
  void onlyWhatNoLongerFitsIsDropped() {
    String line = "z".repeat(TAIL * 5 / 8);
    assertTrue(
        buildFails(echo(line) + echo(line + " " + GPU_ERROR) + echo("z".repeat(1000)))
            .contains("nss.gpuFlag"));
  }

  @Test
  void aRunsFailureIsExplainedFromAllOfItsStderrEvenWhenTheUsersTerminalIsSlow() {
    SlowTerminal slowTerminal = new SlowTerminal();
    f.processes.on(
        "start",
        "echo 'Error response from daemon: " + GPU_ERROR + " \"\" with capabilities' >&2; exit 1");
    ContainerCli cli =
        new ContainerCli(
            f.processes, f.project, f.log::add, false, new PrintStream(slowTerminal), null);
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> cli.run(create(), "n", false));
    assertTrue(e.getMessage().contains("nss.gpuFlag"), e.getMessage());
    assertTrue(slowTerminal.received().contains(GPU_ERROR));
  }

  @Test
  void aRunsStderrReachesAStreamThatIsNotFlushedByItself() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream buffered = new PrintStream(new BufferedOutputStream(bytes, 1 << 16), false);
    f.processes.on("start", "echo 'warning: no GPU' >&2");
    new ContainerCli(f.processes, f.project, f.log::add, false, buffered, null)
        .run(create(), "n", false);
    assertEquals("warning: no GPU\n", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aQueryIsLoggedAndGetsNoInput() {
    f.processes.on("version", "cat > /dev/null; echo ' 20.10.24 '");
    String version =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> f.cli().query(List.of("docker", "version", "--format", "{{.Server.Version}}")),
            "a query that reads its stdin must see its end");
    assertEquals("20.10.24", version);
    assertEquals(List.of("docker version --format '{{.Server.Version}}'"), f.log);
  }

  @Test
  void aFailedQueryIsExplainedLikeAnyCommand() {
    f.processes.on("version", "echo 'Cannot connect to the Docker daemon' >&2; exit 1");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class, () -> f.cli().query(List.of("docker", "version")));
    assertEquals(1, e.exitCode());
    assertTrue(e.getMessage().startsWith("The container engine is unreachable"), e.getMessage());
  }

  @Test
  void aCommandOfOneWordRuns() throws Exception {
    f.processes.on("", "echo \"DOCKER_CLI_EXPERIMENTAL=${DOCKER_CLI_EXPERIMENTAL:-unset}\"");
    f.cli().stream(List.of("podman"));
    f.cli().stream(List.of("docker"));
    assertEquals(
        List.of(
            "podman",
            "DOCKER_CLI_EXPERIMENTAL=unset",
            "docker",
            "DOCKER_CLI_EXPERIMENTAL="
                + System.getenv().getOrDefault("DOCKER_CLI_EXPERIMENTAL", "unset")),
        f.log);
  }

  @Test
  void dockerManifestCommandsAreEnabledOnOldClients() throws Exception {
    f.processes.on("manifest", "echo \"DOCKER_CLI_EXPERIMENTAL=$DOCKER_CLI_EXPERIMENTAL\"");
    f.cli().stream(List.of("docker", "manifest", "push", "r/x:1"));
    assertEquals("DOCKER_CLI_EXPERIMENTAL=enabled", f.log.get(1));
  }

  /** Fails {@code docker build .} whose output {@code script} prints; returns the message. */
  private String buildFails(String script) {
    f.processes.on("build", script + "exit 1");
    return assertThrows(
            CommandFailedException.class, () -> f.cli().stream(List.of("docker", "build", ".")))
        .getMessage();
  }

  private static String echo(String line) {
    return "echo '" + line + "'; ";
  }

  private static List<String> create() {
    return List.of("docker", "create", "--name", "n", "img");
  }
}
