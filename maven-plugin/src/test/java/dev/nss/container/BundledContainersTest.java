package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledContainersTest {

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
  }

  private static Path repoContainers() {
    return Path.of("..", "containers").toAbsolutePath().normalize();
  }

  @Test
  void pluginBundlesTheRepositorysContainerFiles() throws Exception {
    for (String name : BundledContainers.FILES) {
      Path out = tmp.resolve("out").resolve(name);
      BundledContainers.write(name, out);
      assertArrayEquals(
          Files.readAllBytes(repoContainers().resolve(name)), Files.readAllBytes(out), name);
    }
  }

  @Test
  void projectWithoutContainersBuildsWithTheBundledDockerfile() throws Exception {
    Files.delete(f.project.resolve("containers/Dockerfile.cuda"));
    f.processes.on("build", "test -s target/nss/containers/Dockerfile.cuda || exit 9");
    f.goals().buildGpu(f.settings(), false);
    assertEquals(
        List.of(
            List.of(
                "docker",
                "image",
                "inspect",
                "--format",
                "{{json .RepoDigests}}",
                "nvidia/cuda:12.8.1-runtime-ubuntu22.04")),
        f.processes.verbs("image"),
        "the bundled Dockerfile's base, asked for its digest");
    List<String> call = f.processes.verbs("build").get(0);
    assertEquals(
        List.of("-f", "target/nss/containers/Dockerfile.cuda", "."),
        call.subList(call.size() - 3, call.size()));
    assertArrayEquals(
        Files.readAllBytes(repoContainers().resolve("Dockerfile.cuda")),
        Files.readAllBytes(f.project.resolve("target/nss/containers/Dockerfile.cuda")));
  }

  @Test
  void testGoalsFallBackToo() throws Exception {
    Files.delete(f.project.resolve("containers/Dockerfile.test_ci"));
    f.goals().buildTest(f.settings());
    assertTrue(
        f.processes.verbs("build").get(0).contains("target/nss/containers/Dockerfile.test_ci"));
  }

  @Test
  void initWritesTheFilesAndRefusesToOverwrite() throws Exception {
    Path project = Files.createDirectories(tmp.resolve("fresh"));
    f.goals().init(project.resolve("containers"), project, false);
    assertTrue(
        f.log.contains("Wrote " + project.resolve("containers/Dockerfile.cuda")), f.log.toString());
    for (String name : BundledContainers.FILES) {
      assertArrayEquals(
          Files.readAllBytes(repoContainers().resolve(name)),
          Files.readAllBytes(project.resolve("containers").resolve(name)),
          name);
    }
    assertArrayEquals(
        Files.readAllBytes(repoContainers().resolve(".dockerignore")),
        Files.readAllBytes(project.resolve(".dockerignore")));

    Files.writeString(project.resolve("containers/Dockerfile.cuda"), "# mine\n");
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> f.goals().init(project.resolve("containers"), project, false));
    assertTrue(e.getMessage().startsWith("nss.force" + ": "), e.getMessage());
    assertTrue(e.getMessage().endsWith("-Dnss.force=true."), e.getMessage());
    assertEquals("# mine\n", Files.readString(project.resolve("containers/Dockerfile.cuda")));

    f.goals().init(project.resolve("containers"), project, true);
    assertArrayEquals(
        Files.readAllBytes(repoContainers().resolve("Dockerfile.cuda")),
        Files.readAllBytes(project.resolve("containers/Dockerfile.cuda")));
  }

  @Test
  void mergedPatternsStartOnALineOfTheirOwn() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty.dockerignore"), "");
    assertTrue(BundledContainers.mergeIgnoreFile(empty) > 0);
    assertTrue(
        Files.readString(empty).startsWith("\n# Added by mvn nss:init"), Files.readString(empty));
    Path unterminated = Files.writeString(tmp.resolve("unterminated.dockerignore"), "*.log");
    BundledContainers.mergeIgnoreFile(unterminated);
    assertTrue(
        Files.readString(unterminated).startsWith("*.log\n\n# Added by mvn nss:init"),
        Files.readString(unterminated));
  }

  /**
   * A project's own .dockerignore is kept; init adds the patterns it lacks and writes the
   * Dockerfiles.
   */
  @Test
  void initMergesAnExistingDockerignore() throws Exception {
    Path project = Files.createDirectories(tmp.resolve("own-ignore"));
    Files.writeString(
        project.resolve(".dockerignore"), "# mine\nnode_modules/\n.venv/\n.nss-build\n");
    f.goals().init(project.resolve("containers"), project, false);
    assertArrayEquals(
        Files.readAllBytes(repoContainers().resolve("Dockerfile.cuda")),
        Files.readAllBytes(project.resolve("containers/Dockerfile.cuda")));
    String merged = Files.readString(project.resolve(".dockerignore"));
    assertTrue(
        merged.startsWith("# mine\nnode_modules/\n.venv/\n.nss-build\n\n# Added by mvn nss:init"),
        merged);
    assertTrue(merged.contains("\ntarget/\n") && merged.contains("\n**/.netrc\n"), merged);
    assertEquals(
        1, merged.lines().filter(".venv/"::equals).count(), "no pattern twice:\n" + merged);
    assertTrue(merged.endsWith("\n!.nss-build\n"), "the staged agent is visible again:\n" + merged);
    assertEquals(
        null,
        DockerIgnore.read(project.resolve(".dockerignore"))
            .excludingPattern(AgentStager.AGENT_PATH));
    assertTrue(
        f.log.stream()
            .anyMatch(
                l -> l.startsWith("Kept " + project.resolve(".dockerignore") + " and added ")),
        f.log.toString());

    Files.delete(project.resolve("containers/Dockerfile.cuda"));
    Files.delete(project.resolve("containers/Dockerfile.test_ci"));
    f.log.clear();
    f.goals().init(project.resolve("containers"), project, false);
    assertEquals(
        merged, Files.readString(project.resolve(".dockerignore")), "a second merge adds nothing");
    assertTrue(
        f.log.contains(
            "Kept "
                + project.resolve(".dockerignore")
                + ": it has every pattern of the nss context "
                + "filter"),
        f.log.toString());
  }

  @Test
  void initDryRunWritesNothing() throws Exception {
    f.dryRun = true;
    Path project = Files.createDirectories(tmp.resolve("fresh"));
    f.goals().init(project.resolve("containers"), project, false);
    assertFalse(Files.exists(project.resolve("containers")));
    assertEquals(4, f.log.size());
    assertTrue(f.log.get(0).startsWith("[dry-run] write "));
  }

  @Test
  void initDryRunNamesTheMergeAndLeavesTheIgnoreFile() throws Exception {
    f.dryRun = true;
    Path project = Files.createDirectories(tmp.resolve("dry-own-ignore"));
    Path ignore = project.resolve(".dockerignore");
    Files.writeString(ignore, "# mine\n");
    f.goals().init(project.resolve("containers"), project, false);
    assertEquals("# mine\n", Files.readString(ignore));
    assertFalse(Files.exists(project.resolve("containers")));
    assertEquals("[dry-run] merge into " + ignore, f.log.get(f.log.size() - 1), f.log.toString());
  }
}
