package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build context filter: the bundled one, where it is written, and the missing-filter warning.
 */
class ContextFilterTest {

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
  }

  private static DockerIgnore bundled() throws Exception {
    return DockerIgnore.read(Path.of("..", "containers", ".dockerignore").toAbsolutePath());
  }

  @Test
  void bundledFilterExcludesCredentialsAndKeepsWhatTheStagesRead() throws Exception {
    DockerIgnore filter = bundled();
    for (String secret :
        List.of(
            ".git/config",
            ".git",
            "sub/module/.git",
            ".env",
            ".env.local",
            "services/api/.env",
            ".netrc",
            "deploy/.netrc",
            "tls.pem",
            "certs/server.key",
            ".npmrc",
            ".pypirc",
            ".docker/config.json",
            ".m2/settings.xml",
            "settings.xml",
            "settings-ci.xml",
            ".hf_cache/token",
            "target/classes/x",
            ".venv/bin/python")) {
      assertNotNull(filter.excludingPattern(secret), secret + " must be excluded");
    }
    for (String needed :
        List.of(
            AgentStager.AGENT_PATH,
            "pyproject.toml",
            "uv.lock",
            "README.md",
            "Makefile",
            "src/safe_synthesizer/cli.py",
            "tests/test_cli.py",
            "src/pkg/settings_page.py")) {
      assertNull(filter.excludingPattern(needed), needed + " must reach the build");
    }
  }

  @Test
  void bundledDockerfilesGetTheBundledFilterBesideThem() throws Exception {
    Files.delete(f.project.resolve("containers/Dockerfile.cuda"));
    Files.delete(f.project.resolve("containers/Dockerfile.test_ci"));
    f.processes.on(
        "build",
        "test -s target/nss/containers/Dockerfile.cuda.dockerignore"
            + " && test -s target/nss/containers/Dockerfile.test_ci.dockerignore || exit 9");
    f.goals().buildGpu(f.settings(), true);
    f.goals().buildTest(f.settings());
    assertArrayEquals(
        Files.readAllBytes(Path.of("..", "containers", ".dockerignore").toAbsolutePath()),
        Files.readAllBytes(
            f.project.resolve("target/nss/containers/Dockerfile.cuda.dockerignore")));
    assertTrue(
        f.log.stream().anyMatch(l -> l.contains("with the bundled context filter beside them")),
        f.log.toString());
    assertTrue(f.log.stream().noneMatch(l -> l.startsWith("WARNING")), f.log.toString());
  }

  @Test
  void aProjectsOwnFilterDecidesAlsoOverOneLeftFromAnEarlierBuild() throws Exception {
    Files.delete(f.project.resolve("containers/Dockerfile.cuda"));
    Path stale = f.project.resolve("target/nss/containers/Dockerfile.cuda.dockerignore");
    Files.createDirectories(stale.getParent());
    Files.writeString(stale, "*\n");
    Path own = Files.writeString(f.project.resolve(".dockerignore"), "secret.txt\n");
    f.processes.on(
        "build", "test -e target/nss/containers/Dockerfile.cuda.dockerignore && exit 9; exit 0");
    f.goals().buildGpu(f.settings(), false);
    assertFalse(Files.exists(stale));
    assertTrue(
        f.log.stream().anyMatch(l -> l.contains("with the project's context filter " + own)),
        f.log.toString());
  }

  @Test
  void podmansContainerignoreIsAProjectFilterToo() throws Exception {
    Files.writeString(f.project.resolve(".containerignore"), ".env\n");
    assertEquals(
        f.project.resolve(".containerignore"), ContextFilter.own("/usr/bin/podman", f.project));
    assertNull(ContextFilter.own("docker", f.project), "docker does not read .containerignore");
  }

  @Test
  void podmanAlsoReadsTheContainerignoreBesideTheDockerfile() throws Exception {
    Path dockerfile = Files.writeString(f.project.resolve("Dockerfile"), "FROM scratch\n");
    Path beside = Files.writeString(f.project.resolve("Dockerfile.containerignore"), ".env\n");
    assertEquals(beside, ContextFilter.applied("podman", f.project, dockerfile));
    assertNull(
        ContextFilter.applied("docker", f.project, dockerfile), "docker reads no .containerignore");
  }

  @Test
  void ownDockerfilesWithoutAnyFilterWarnAlsoInADryRun() throws Exception {
    f.dryRun = true;
    f.goals().buildGpu(f.settings(), true);
    String warning =
        f.log.stream()
            .filter(l -> l.startsWith("WARNING: no .dockerignore"))
            .findFirst()
            .orElse("");
    assertTrue(
        warning.contains(f.project.toString()) && warning.contains("mvn nss:init"),
        f.log.toString());
    assertEquals(List.of(), f.processes.verbs("build"), "a dry run runs no build");

    f.log.clear();
    f.dryRun = false;
    Files.writeString(f.project.resolve("containers/Dockerfile.cuda.dockerignore"), ".env\n");
    f.goals().buildGpu(f.settings(), true);
    assertTrue(f.log.stream().noneMatch(l -> l.startsWith("WARNING")), f.log.toString());
  }
}
