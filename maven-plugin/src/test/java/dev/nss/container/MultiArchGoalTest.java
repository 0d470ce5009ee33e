package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build-gpu-multiarch: what it checks before the engine, what it stages, and what it leaves behind.
 */
class MultiArchGoalTest {

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
  }

  /** What `docker buildx build --metadata-file FILE` writes: the pushed manifest list's digest. */
  private static final String WRITE_METADATA =
      "while [ $# -gt 0 ]; do [ \"$1\" = --metadata-file ] && printf "
          + "'{\"containerimage.digest\": \"%s\"}' '"
          + PublishTest.LIST_DIGEST
          + "' > \"$2\"; shift; done";

  private GoalSettings settings() {
    return f.settings().registry("registry.example:5000/team");
  }

  @Test
  void theAgentIsStagedForTheBuildAndRemovedAfter() throws Exception {
    Path seen = tmp.resolve("seen");
    // `docker buildx version` (the probe) runs before staging, `docker buildx build` during it.
    f.processes.on(
        "buildx",
        "[ \"$2\" = version ] && exit 0; test -f .nss-build/entrypoint/nss-entrypoint.jar"
            + " && cat .nss-build/entrypoint/nss-entrypoint.jar > "
            + seen
            + "; "
            + WRITE_METADATA);
    f.goals().buildMultiArch(settings(), null);
    assertArrayEquals(
        Files.readAllBytes(f.agentJar), Files.readAllBytes(seen), "the build saw the staged agent");
    assertFalse(Files.exists(f.project.resolve(".nss-build")), "staging removed after the build");
    assertTrue(
        f.log.stream().anyMatch(l -> l.startsWith("Staged the nss-entrypoint agent at ")),
        f.log.toString());
  }

  @Test
  void stagingIsRemovedWhenTheBuildFails() throws Exception {
    f.processes.on("buildx", "test -d .nss-build && exit 1; exit 0");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class, () -> f.goals().buildMultiArch(settings(), null));
    assertEquals(1, e.exitCode());
    assertFalse(Files.exists(f.project.resolve(".nss-build")));
  }

  @Test
  void aFailedLoginStopsTheGoalBeforeTheBuild() {
    f.processes.on(
        "login", "cat > /dev/null; echo 'Error response from daemon: unauthorized'; exit 1");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () ->
                f.goals()
                    .buildMultiArch(settings(), new RegistryCredentials("id", "bot", "wrong")));
    assertEquals(1, e.exitCode());
    assertTrue(e.getMessage().contains("`docker login` failed with exit code 1"), e.getMessage());
    assertEquals(
        List.of(), f.processes.verbs("buildx").stream().filter(c -> c.contains("build")).toList());
    assertFalse(Files.exists(f.project.resolve(".nss-build")));
  }

  @Test
  void aDockerignoreHidingTheAgentFailsBeforeTheEngine() throws Exception {
    Files.writeString(f.project.resolve(".dockerignore"), ".*\n");
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class, () -> f.goals().buildMultiArch(settings(), null));
    assertTrue(e.getMessage().startsWith(".dockerignore: "), e.getMessage());
    assertTrue(f.processes.calls.isEmpty());
  }

  @Test
  void nonAsciiArgumentsAreRefusedBeforeTheEngineInAnAsciiLocale() {
    GoalDriver ascii = new GoalDriver(f.cli(), f.log::add, f.agentJar, StandardCharsets.US_ASCII);
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> ascii.buildMultiArch(settings().buildArgs(Map.of("NOTE", "naïve")), null));
    assertTrue(e.getMessage().startsWith("LANG: "), e.getMessage());
    assertTrue(f.processes.calls.isEmpty());
  }

  @Test
  void aCliThatCannotStartIsNamed() {
    ContainerCli missing =
        new ContainerCli(
            argv -> new ProcessBuilder(tmp.resolve("no-such-cli").toString()),
            f.project,
            f.log::add,
            false,
            System.err,
            null);
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> new GoalDriver(missing, f.log::add, f.agentJar).buildMultiArch(settings(), null));
    assertTrue(
        e.getMessage().startsWith("Could not start the container CLI `docker`"), e.getMessage());
    assertFalse(Files.exists(f.project.resolve(".nss-build")));
  }

  @Test
  void theBundledDockerfileIsWrittenAndSaidSo() throws Exception {
    Files.delete(f.project.resolve("containers/Dockerfile.cuda"));
    f.processes.on("buildx", "[ \"$2\" = version ] && exit 0; " + WRITE_METADATA);
    f.goals().buildMultiArch(settings(), null);
    assertTrue(Files.isRegularFile(f.project.resolve("target/nss/containers/Dockerfile.cuda")));
    assertTrue(
        f.log.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "No containers/ Dockerfile in the project: using the "
                            + "plugin's bundled copies in ")),
        f.log.toString());
  }

  @Test
  void credentialsNeverShowTheirPassword() {
    assertFalse(
        new RegistryCredentials("id", "bot", "pa55-s3cr3t").toString().contains("pa55-s3cr3t"));
  }

  @Test
  void withBuildxItLogsInBeforeTheBuildAndSaysWhatItPushed() throws Exception {
    f.processes
        .on("buildx", "[ \"$2\" = version ] && exit 0; " + WRITE_METADATA)
        .on("login", "cat > /dev/null");
    f.goals().buildMultiArch(settings(), new RegistryCredentials("id", "bot", "pw"));
    List<String> verbs =
        f.processes.calls.stream()
            .map(c -> c.get(1) + (c.size() > 2 ? " " + c.get(2) : ""))
            .toList();
    assertTrue(
        verbs.indexOf("login --username") >= 0
            && verbs.indexOf("login --username") < verbs.indexOf("buildx build"),
        verbs.toString());
    assertTrue(
        f.log.contains(
            "Building linux/amd64,linux/arm64 with buildx and pushing to "
                + "registry.example:5000/team/nss-gpu"),
        f.log.toString());
    assertTrue(
        f.log.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "Pushed registry.example:5000/team/nss-gpu@" + PublishTest.LIST_DIGEST)),
        f.log.toString());
    assertTrue(
        f.log.contains("Wrote " + f.project.resolve("target/nss-image.json")), f.log.toString());
  }

  @Test
  void withoutBuildxItLogsInAfterTheBuildsAndBeforeThePushes() throws Exception {
    f.processes
        .on("buildx", "exit 1")
        .on("login", "cat > /dev/null")
        .on("push", "echo \"${1#*:}: digest: " + PublishTest.DIGEST + " size: 943\"")
        .on("manifest", "[ \"$2\" = push ] && echo '" + PublishTest.LIST_DIGEST + "'; true");
    f.goals().buildMultiArch(settings(), new RegistryCredentials("id", "bot", "pw"));
    List<String> verbs = f.processes.calls.stream().map(c -> c.get(1)).toList();
    assertEquals(verbs.lastIndexOf("build") + 1, verbs.indexOf("login"), verbs.toString());
    assertEquals(verbs.indexOf("login") + 1, verbs.indexOf("push"), verbs.toString());
    assertTrue(
        f.log.contains(
            "No buildx in docker: building each of linux/amd64,linux/arm64, pushing each, then a "
                + "manifest list"),
        f.log.toString());
  }

  @Test
  void withPodmanItLogsInBeforeThePushAndSaysWhatItBuilds() throws Exception {
    f.processes.on("manifest", PublishTest.WRITE_DIGESTFILE).on("login", "cat > /dev/null");
    f.goals().buildMultiArch(settings().cli("podman"), new RegistryCredentials("id", "bot", "pw"));
    List<String> verbs =
        f.processes.calls.stream()
            .map(c -> c.get(1) + (c.size() > 2 ? " " + c.get(2) : ""))
            .toList();
    assertTrue(
        verbs.indexOf("build --platform") < verbs.indexOf("login --username")
            && verbs.indexOf("login --username") < verbs.indexOf("manifest push"),
        verbs.toString());
    assertTrue(
        f.log.contains(
            "Building linux/amd64,linux/arm64 into the local manifest list "
                + "registry.example:5000/team/nss-gpu:latest"),
        f.log.toString());
  }

  @Test
  void pushRefusesAnArgumentItsLocaleCannotPassBeforeTheEngine() {
    GoalDriver ascii = new GoalDriver(f.cli(), f.log::add, f.agentJar, StandardCharsets.US_ASCII);
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                ascii.push(
                    settings().cli(tmp.resolve("d\u00f6cker/docker").toString()), false, null));
    assertTrue(e.getMessage().startsWith("LANG: "), e.getMessage());
    assertTrue(f.processes.calls.isEmpty());
  }

  @Test
  void theBuildIsLabelledWithItsBaseNameButNoDigest() throws Exception {
    Files.writeString(
        f.project.resolve("containers/Dockerfile.cuda"),
        "ARG REPO=nvidia/cuda\nFROM ${REPO}:12.8.1-runtime-ubuntu22.04 AS runtime\n");
    f.processes.on("buildx", "[ \"$2\" = version ] && exit 0; " + WRITE_METADATA);

    f.goals().buildMultiArch(settings(), null);

    List<String> build =
        f.processes.calls.stream()
            .filter(c -> c.size() > 2 && c.get(2).equals("build"))
            .findFirst()
            .orElseThrow();
    int name =
        build.indexOf("org.opencontainers.image.base.name=nvidia/cuda:12.8.1-runtime-ubuntu22.04");
    assertTrue(name > 0, build.toString());
    assertEquals("--label", build.get(name - 1));
    assertTrue(build.stream().noneMatch(a -> a.contains("base.digest")), build.toString());
  }
}
