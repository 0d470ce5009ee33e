package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStagerTest {

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered(
        "docker", "/usr/bin/docker", "podman"); // the question before a build: EngineQuestionTest
  }

  @Test
  void agentIsStagedDuringTheBuildAndRemovedAfter() throws Exception {
    Path staged = f.project.resolve(".nss-build/entrypoint/nss-entrypoint.jar");
    List<byte[]> seen = new ArrayList<>();
    f.processes.on(
        "build", "cat .nss-build/entrypoint/nss-entrypoint.jar > " + tmp.resolve("seen"));
    Files.createDirectories(f.project.resolve(".nss-build/stale"));
    Files.writeString(f.project.resolve(".nss-build/stale/old.jar"), "old");
    f.goals().buildGpu(f.settings(), false);
    seen.add(Files.readAllBytes(tmp.resolve("seen")));
    assertArrayEquals(
        Files.readAllBytes(f.agentJar),
        seen.get(0),
        "the CLI saw the agent jar at its staged path");
    assertFalse(Files.exists(staged.getParent().getParent()), "staging removed after the build");
  }

  @Test
  void stagingReplacesStaleFiles() throws Exception {
    Files.createDirectories(f.project.resolve(".nss-build/entrypoint"));
    Files.writeString(f.project.resolve(".nss-build/entrypoint/nss-entrypoint.jar"), "stale");
    Files.writeString(f.project.resolve(".nss-build/leftover"), "x");
    Path staged = AgentStager.stage(f.agentJar, f.project);
    assertArrayEquals(Files.readAllBytes(f.agentJar), Files.readAllBytes(staged));
    assertFalse(Files.exists(f.project.resolve(".nss-build/leftover")));
  }

  @Test
  void stagingIsRemovedEvenWhenTheBuildFails() throws Exception {
    f.processes.on("build", "exit 1");
    assertThrows(CommandFailedException.class, () -> f.goals().buildGpu(f.settings(), false));
    assertFalse(Files.exists(f.project.resolve(".nss-build")));
  }

  @Test
  void buildTestStagesNothing() throws Exception {
    Path seen = tmp.resolve("seen");
    f.processes.on("build", "ls -a > " + seen);
    f.goals().buildTest(f.settings());
    assertFalse(
        Files.readAllLines(seen).contains(".nss-build"),
        "nothing staged: " + Files.readAllLines(seen));
    assertFalse(f.log.stream().anyMatch(l -> l.startsWith("Staged")), f.log.toString());
  }

  @Test
  void aFileWhereTheStagingDirectoryGoesIsReplaced() throws Exception {
    Files.writeString(f.project.resolve(".nss-build"), "not a directory");
    f.processes.on("build", "test -f .nss-build/entrypoint/nss-entrypoint.jar || exit 9");
    f.goals().buildGpu(f.settings(), false);
    assertFalse(Files.exists(f.project.resolve(".nss-build")));
  }

  @Test
  void dockerignoreHidingTheAgentFailsBeforeTheEngine() throws Exception {
    Files.writeString(f.project.resolve(".dockerignore"), "target/\n.*\n");
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> f.goals().buildGpu(f.settings(), false));
    assertTrue(e.getMessage().startsWith(".dockerignore" + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(".nss-build/entrypoint/nss-entrypoint.jar"), e.getMessage());
    assertTrue(e.getMessage().contains("'.*'"), e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith(
                "Add the line !.nss-build at the end of "
                    + f.project.resolve(".dockerignore")
                    + "."),
        e.getMessage());
    assertTrue(f.processes.calls.isEmpty());
    assertThrows(InvalidSettingException.class, () -> f.goals().runGpu(f.settings(), false, false));
    assertTrue(f.processes.calls.isEmpty());
  }

  @Test
  void theFixWorks() throws Exception {
    Files.writeString(f.project.resolve(".dockerignore"), "target/\n.*\n!.nss-build\n");
    f.goals().buildGpu(f.settings(), false);
    assertEquals(1, f.processes.calls.size());
  }

  @Test
  void dockerfileSpecificIgnoreFileTakesPrecedence() throws Exception {
    Files.writeString(f.project.resolve(".dockerignore"), ".nss-build\n");
    Files.writeString(f.project.resolve("containers/Dockerfile.cuda.dockerignore"), "target/\n");
    f.goals().buildGpu(f.settings(), false);
    Files.writeString(f.project.resolve("containers/Dockerfile.cuda.dockerignore"), "**/*.jar\n");
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> f.goals().buildGpu(f.settings(), false));
    assertTrue(e.getMessage().contains("Dockerfile.cuda.dockerignore"), e.getMessage());
  }

  @Test
  void missingAgentJarIsReported() throws Exception {
    GoalDriver goals = new GoalDriver(f.cli(), f.log::add, null);
    CommandFailedException e =
        assertThrows(CommandFailedException.class, () -> goals.buildGpu(f.settings(), false));
    assertTrue(e.getMessage().contains("dev.nss:nss-entrypoint"), e.getMessage());
    assertTrue(f.processes.calls.isEmpty());
  }
}
