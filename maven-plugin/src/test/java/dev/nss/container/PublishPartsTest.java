package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.InvalidSettingException;
import dev.nss.engine.PlatformSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tags, which platforms a host can build, and pull failures explained. */
class PublishPartsTest {

  @TempDir Path tmp;

  @Test
  void defaultTagsFollowUpstreamCi() throws Exception {
    Optional<String> sha = Optional.of("0123456789abcdef0123456789abcdef01234567");
    assertEquals(
        List.of("latest", "1.0.0", "sha-0123456789ab"), ImageTags.of(null, null, "1.0.0", sha));
    assertEquals(
        List.of("cu128", "1.0.0-cu128", "sha-0123456789ab-cu128"),
        ImageTags.of("", "cu128", "1.0.0", sha));
    assertEquals(
        List.of("latest", "1.0-build.5"),
        ImageTags.of(null, null, "1.0+build.5", Optional.empty()));
    assertEquals(List.of("a", "b-x"), ImageTags.of(" a, b-x ,a", null, "9", sha));
    assertTrue(
        assertThrows(InvalidSettingException.class, () -> ImageTags.of("a,,b", null, null, sha))
            .getMessage()
            .startsWith("nss.tags: "));
  }

  @Test
  void repositoryNameDropsTagAndDigestButKeepsAPort() {
    assertEquals("nss-gpu", GoalSpecs.repositoryName("nss-gpu:latest"));
    assertEquals("localhost:5000/nss-gpu", GoalSpecs.repositoryName("localhost:5000/nss-gpu"));
    assertEquals("a/b", GoalSpecs.repositoryName("a/b:1@sha256:" + "0".repeat(64)));
  }

  @Test
  void loginServerIsTheRegistryHost() {
    assertEquals(
        "127.0.0.1:5000",
        new RegistryTarget("127.0.0.1:5000/ns", "r", List.of("t"), false).loginServer());
    assertEquals(
        "localhost", new RegistryTarget("localhost/ns", "r", List.of("t"), false).loginServer());
    assertNull(new RegistryTarget("dockerhubuser", "r", List.of("t"), false).loginServer());
  }

  @Test
  void platformsThisHostCanBuild() throws Exception {
    Path binfmt = Files.createDirectories(tmp.resolve("binfmt"));
    PlatformSupport host = new PlatformSupport(binfmt, "x86_64");
    assertEquals("linux/amd64", host.hostPlatform());
    assertEquals(List.of(), host.emulated(), "binfmt_misc not mounted");
    host.check("p", "linux/amd64,linux/386");
    Files.writeString(binfmt.resolve("status"), "enabled\n");
    Files.writeString(binfmt.resolve("qemu-aarch64"), "enabled\n");
    Files.writeString(binfmt.resolve("qemu-s390x"), "disabled\n");
    assertEquals(List.of("linux/arm64"), host.emulated());
    host.check("p", "linux/amd64,linux/arm64/v8");
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> host.check("p", "linux/s390x"));
    assertTrue(e.getMessage().contains("no qemu-s390x handler is enabled"), e.getMessage());
    assertEquals(
        List.of(), new PlatformSupport(binfmt, "aarch64").emulated(), "aarch64 is native there");
    Files.writeString(binfmt.resolve("qemu-x86_64"), "enabled\n");
    assertEquals(List.of("linux/amd64"), new PlatformSupport(binfmt, "aarch64").emulated());
    for (String qemu : List.of("s390x", "riscv64", "i386", "ppc64le")) {
      Files.writeString(binfmt.resolve("qemu-" + qemu), "enabled\n");
    }
    assertEquals(
        List.of("linux/arm64", "linux/ppc64le", "linux/riscv64", "linux/s390x"),
        host.emulated(),
        "sorted; 386 runs natively on amd64");
  }

  @Test
  void buildKitPullFailureNamesTheImageTheArgumentAndTheMirrorFix() {
    String output =
        """
        #3 [internal] load metadata for ghcr.io/astral-sh/uv:0.9.14
        #3 ERROR: failed to do request: Head "https://ghcr.io/v2/astral-sh/uv/manifests/0.9.14": dial tcp: lookup \
        ghcr.io on 10.255.255.53:53: no such host
        ------
         > [internal] load metadata for ghcr.io/astral-sh/uv:0.9.14:
        ------
        failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: Head \
        "https://ghcr.io/v2/astral-sh/uv/manifests/0.9.14": dial tcp: lookup ghcr.io on 10.255.255.53:53: no such host
        """;
    String message =
        FailureDiagnosis.explain(
            List.of("/usr/bin/docker", "build", "--platform", "linux/amd64"),
            null,
            1,
            output,
            null);
    assertEquals(
        "Could not pull the base image ghcr.io/astral-sh/uv:0.9.14: the registry's host name does not "
            + "resolve (no network, or no DNS for it) (`/usr/bin/docker build` exit code 1). It is chosen by the build "
            + "argument UV_IMAGE (now ghcr.io/astral-sh/uv): point it at a registry mirror that has the image, in the "
            + "plugin's configuration: <buildArgs><UV_IMAGE>mirror.example/astral-sh/uv</UV_IMAGE></buildArgs>; or log "
            + "in to that registry, or load the image into the engine.",
        message);
  }

  @Test
  void buildahPullFailureOfAnOverriddenImage() {
    String output =
        "Trying to pull mirror.example/nvidia/cuda:12.8.1-runtime-ubuntu22.04...\nError: creating build "
            + "container: initializing source docker://mirror.example/nvidia/cuda:12.8.1-runtime-ubuntu22.04: reading "
            + "manifest 12.8.1-runtime-ubuntu22.04 in mirror.example/nvidia/cuda: unauthorized: access denied\n";
    String message =
        FailureDiagnosis.explain(
            List.of("podman", "build", "--build-arg", "CUDA_IMAGE_REPO=mirror.example/nvidia/cuda"),
            null,
            125,
            output,
            null);
    assertTrue(
        message.startsWith(
            "Could not pull the base image mirror.example/nvidia/cuda:12.8.1-runtime-ubuntu22.04"
                + ": the registry refused access"),
        message);
    assertTrue(
        message.contains("build argument CUDA_IMAGE_REPO (now mirror.example/nvidia/cuda)"),
        message);
  }

  @Test
  void realRefusalsAndPlainHttpAreNamed() {
    String buildKit401 =
        """
        #3 ERROR: pulling from host 127.0.0.1:5055 failed with status code [manifests 0.9.14]: 401 Unauthorized
        ------
         > [internal] load metadata for 127.0.0.1:5055/nope/uv:0.9.14:
        ------
        failed to solve with frontend dockerfile.v0: failed to create LLB definition: pulling from host \
        127.0.0.1:5055 failed with status code [manifests 0.9.14]: 401 Unauthorized
        """;
    String message =
        FailureDiagnosis.explain(
            List.of("docker", "build", "--build-arg", "UV_IMAGE=127.0.0.1:5055/nope/uv"),
            null,
            1,
            buildKit401,
            null);
    assertTrue(
        message.startsWith(
            "Could not pull the base image 127.0.0.1:5055/nope/uv:0.9.14: the registry refused "
                + "access"),
        message);
    assertTrue(
        message.contains("<buildArgs><UV_IMAGE>mirror.example/nope/uv</UV_IMAGE></buildArgs>"),
        message);
    String buildahHttp =
        "Trying to pull 127.0.0.1:5055/nope/uv:0.9.14...\nError: creating build container: initializing "
            + "source docker://127.0.0.1:5055/nope/uv:0.9.14: pinging container registry 127.0.0.1:5055: Get "
            + "\"https://127.0.0.1:5055/v2/\": http: server gave HTTP response to HTTPS client\n";
    assertTrue(
        FailureDiagnosis.explain(List.of("podman", "build"), null, 125, buildahHttp, null)
            .contains("0.9.14: the registry speaks plain HTTP"));
  }

  @Test
  void dockerHubNamesMatchTheirDefaults() {
    String output =
        " > [internal] load metadata for docker.io/library/eclipse-temurin:25-jdk:\nmanifest unknown\n";
    String message = FailureDiagnosis.explain(List.of("docker", "build"), null, 1, output, null);
    assertTrue(message.contains("NSS_JDK_IMAGE (now eclipse-temurin:25-jdk)"), message);
    assertTrue(message.contains("the registry has no such image or tag"), message);
  }

  @Test
  void theDockerLoginDirectoryLinksTheUsersPluginsAndIsGoneAfterClose() throws Exception {
    Path user = Files.createDirectories(tmp.resolve("user-docker"));
    Path plugins = Files.createDirectories(user.resolve("cli-plugins"));
    Files.writeString(plugins.resolve("docker-buildx"), "#!/bin/sh\n");
    Files.writeString(
        user.resolve("config.json"),
        "{\"auths\": {\"registry.example\": {\"auth\": \"dXNlcjpwdw==\"}}}");
    Path dir;
    RecordingHooks hooks = new RecordingHooks();
    try (RegistrySession session = RegistrySession.create(false, hooks)) {
      dir = session.dir();
      assertEquals(
          "rwx------",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(dir)));
      assertEquals(
          java.util.Map.of("DOCKER_CONFIG", dir.toString()),
          session.loginEnvironment("docker", user));
      assertEquals(plugins, Files.readSymbolicLink(dir.resolve("cli-plugins")));
      assertTrue(Files.notExists(dir.resolve("buildx")), "no buildx state to link");
      assertTrue(
          Files.readString(dir.resolve("config.json")).contains("nss.invalid"),
          "none of the user's logins");
      assertEquals(
          java.util.Map.of("REGISTRY_AUTH_FILE", dir.resolve("auth.json").toString()),
          session.loginEnvironment("/usr/bin/podman", user));
    }
    assertTrue(Files.notExists(dir), "deleted");
    assertTrue(hooks.allTakenBack(), "no hook left to run at Maven's end");
    assertTrue(Files.exists(plugins.resolve("docker-buildx")), "the user's plugins are untouched");
  }

  @Test
  void aStopBeforeTheGoalEndsDeletesTheLoginDirectory() throws Exception {
    RecordingHooks hooks = new RecordingHooks();
    RegistrySession session = RegistrySession.create(false, hooks);
    Path dir = session.dir();
    Files.writeString(dir.resolve("config.json"), "{\"auths\": {\"r\": {\"auth\": \"c2VjcmV0\"}}}");

    hooks.stop();

    assertTrue(Files.notExists(dir), "Ctrl-C leaves no login behind");
    session.close();
    assertTrue(hooks.allTakenBack());
  }
}
