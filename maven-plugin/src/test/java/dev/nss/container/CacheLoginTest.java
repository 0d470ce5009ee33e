package dev.nss.container;

import static dev.nss.container.BuildCacheArgvTest.CACHE;
import static dev.nss.container.BuildCacheArgvTest.gpuBuild;
import static dev.nss.container.Fixture.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build goals with nss.registryServerId: the cache registry's private login, the build and the
 * cache push inside it, the user's other logins kept, nss.registryInsecure on podman's cache.
 */
class CacheLoginTest {

  static final RegistryCredentials BOT = new RegistryCredentials("cache", "bot", "pa55-s3cr3t");
  static final String LOOPBACK_CACHE = "127.0.0.1:5000/team/nss-gpu:buildcache";

  @TempDir Path tmp;
  Fixture f;
  Path userConfig;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered(
        "docker", "/usr/bin/docker", "podman"); // the question before a build: EngineQuestionTest
    userConfig = Files.createDirectories(tmp.resolve("user-docker"));
    Files.writeString(
        userConfig.resolve("config.json"),
        """
        {"auths": {"base.example": {"auth": "dXNlcjpiYXNl"},
                   "https://registry.example:5000/v1/": {"auth": "b2xkOm9sZA=="}},
         "credHelpers": {"helper.example": "ecr-login", "registry.example:5000": "pass"},
         "credsStore": "secretservice"}
        """);
  }

  private GoalSettings settings(String cli) {
    return f.settings()
        .cli(cli)
        .environment(Map.of("DOCKER_CONFIG", userConfig.toString()))
        .cacheFrom(List.of(CACHE))
        .cacheTo(List.of(CACHE));
  }

  @Test
  void dockerLogsInPrivatelyAndBuildsAndPushesTheCacheWithThatLogin() throws Exception {
    Path stdin = tmp.resolve("stdin");
    Path seen = tmp.resolve("config-seen");
    f.processes.on(
        "login",
        "cat > '" + stdin + "'; cp \"$DOCKER_CONFIG/config.json\" '" + seen + "'; echo ok");
    f.goals().buildGpu(settings("docker"), false, BOT);
    assertEquals(
        List.of(
            argv(
                "docker",
                "login",
                "--username",
                "bot",
                "--password-stdin",
                "registry.example:5000"),
            gpuBuild("docker", "--cache-from", CACHE, "--build-arg", "BUILDKIT_INLINE_CACHE=1"),
            argv("docker", "tag", "nss-gpu:latest", CACHE),
            argv("docker", "push", CACHE),
            argv("docker", "logout", "registry.example:5000")),
        f.processes.calls);
    assertEquals("pa55-s3cr3t", Files.readString(stdin));
    String config = f.processes.builders.get(0).environment().get("DOCKER_CONFIG");
    assertTrue(config.matches(".*/nss-registry-[^/]+"), config);
    for (int i = 1; i < 5; i++) {
      assertEquals(
          config, f.processes.builders.get(i).environment().get("DOCKER_CONFIG"), "call " + i);
    }
    Object seeded = Json.parse(Files.readString(seen));
    assertEquals("dXNlcjpiYXNl", Json.string(seeded, "auths", "base.example", "auth"));
    assertTrue(Json.at(seeded, "auths", "nss.invalid") != null, "no default credential store");
    assertEquals(null, Json.at(seeded, "auths", "https://registry.example:5000/v1/"));
    assertEquals(Map.of("helper.example", "ecr-login"), Json.at(seeded, "credHelpers"));
    assertEquals(null, Json.at(seeded, "credsStore"), "the login never reaches a store");
    assertFalse(Files.exists(Path.of(config)), "the private config is deleted");
    assertFalse(String.join("\n", f.log).contains("s3cr3t"), f.log.toString());
  }

  @Test
  void podmanGetsThePrivateAuthFileAndTlsOffForAPlainHttpCache() throws Exception {
    Path seen = tmp.resolve("auth-seen");
    f.processes.on("login", "cat > /dev/null; cp \"$REGISTRY_AUTH_FILE\" '" + seen + "'");
    f.goals()
        .buildGpu(
            settings("podman")
                .cacheFrom(List.of(LOOPBACK_CACHE))
                .cacheTo(List.of(LOOPBACK_CACHE))
                .registryInsecure(true),
            false,
            BOT);
    assertEquals(
        argv(
            "podman",
            "login",
            "--tls-verify=false",
            "--username",
            "bot",
            "--password-stdin",
            "127.0.0.1:5000"),
        f.processes.calls.get(0));
    assertEquals(
        gpuBuild(
            "podman",
            "--tls-verify=false",
            "--cache-from",
            "127.0.0.1:5000/team/nss-gpu",
            "--cache-to",
            "127.0.0.1:5000/team/nss-gpu"),
        f.processes.calls.get(1));
    String authFile = f.processes.builders.get(1).environment().get("REGISTRY_AUTH_FILE");
    assertTrue(authFile.matches(".*/nss-registry-[^/]+/auth.json"), authFile);
    assertEquals(authFile, f.processes.builders.get(0).environment().get("REGISTRY_AUTH_FILE"));
    assertEquals(
        "dXNlcjpiYXNl",
        Json.string(Json.parse(Files.readString(seen)), "auths", "base.example", "auth"),
        "the user's docker login reaches podman's base-image pulls");
    assertFalse(Files.exists(Path.of(authFile).getParent()), "deleted with its directory");
  }

  @Test
  void withoutTheInsecureSettingPodmanVerifiesTls() throws Exception {
    f.goals().buildGpu(settings("podman").cacheTo(List.of()), false, null);
    assertEquals(
        List.of(gpuBuild("podman", "--cache-from", BuildCacheArgvTest.CACHE_REPOSITORY)),
        f.processes.calls);
  }

  @Test
  void insecureWithoutCacheReferencesChangesNothing() throws Exception {
    f.goals()
        .buildGpu(
            settings("podman").cacheFrom(List.of()).cacheTo(List.of()).registryInsecure(true),
            false,
            null);
    assertEquals(List.of(gpuBuild("podman")), f.processes.calls);
  }

  @Test
  void cachesOnTwoRegistriesAreRefusedBeforeAnyCommand() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                f.goals()
                    .buildGpu(
                        settings("docker").cacheTo(List.of("other.example/team/c:1")), false, BOT));
    assertTrue(e.getMessage().contains("nss.registryServerId"), e.getMessage());
    assertTrue(e.getMessage().contains("other.example, registry.example:5000"), e.getMessage());
    assertEquals(List.of(), f.processes.calls);
  }

  @Test
  void aRefusedLoginBuildsNothingAndNamesTheServer() {
    f.processes.on(
        "login", "cat > /dev/null; echo 'unauthorized: authentication required' >&2; exit 1");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class, () -> f.goals().buildGpu(settings("docker"), false, BOT));
    assertTrue(e.getMessage().contains("server 'cache'"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing was built"), e.getMessage());
    assertEquals(1, f.processes.calls.size(), f.processes.calls.toString());
    assertFalse(e.getMessage().contains("s3cr3t"));
  }

  @Test
  void noCacheReferencesMeansNoLogin() throws Exception {
    f.goals().buildGpu(settings("docker").cacheFrom(List.of()).cacheTo(List.of()), false, BOT);
    assertEquals(List.of(gpuBuild("docker")), f.processes.calls);
    assertTrue(f.log.stream().anyMatch(l -> l.contains("no login")), f.log.toString());
  }

  @Test
  void theBuildFailingStillLogsOut() {
    f.processes.on("build", "exit 7");
    assertThrows(
        CommandFailedException.class, () -> f.goals().buildGpu(settings("docker"), false, BOT));
    assertEquals(
        List.of("login", "build", "logout"),
        f.processes.calls.stream().map(call -> call.get(1)).toList());
  }

  @Test
  void anAuthsKeyNamesItsServerWithOrWithoutSchemeAndPath() {
    assertTrue(SessionLogins.names("registry.example:5000", "registry.example:5000"));
    assertTrue(SessionLogins.names("https://registry.example:5000/v1/", "registry.example:5000"));
    assertFalse(SessionLogins.names("registry.example", "registry.example:5000"));
    assertFalse(SessionLogins.names("registry.example:50001", "registry.example:5000"));
  }
}
