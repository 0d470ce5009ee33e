package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private session's credential file: which of the user's files it is seeded from, in the
 * engine's order, and what it keeps of them.
 */
class SessionLoginsTest {

  @TempDir Path tmp;

  private static final String HOME = System.getProperty("user.home");

  @Test
  void podmanReadsItsAuthFileThenItsConfigHomeThenDockersConfig() {
    Map<String, String> env =
        Map.of(
            "REGISTRY_AUTH_FILE", "/a/auth.json",
            "XDG_RUNTIME_DIR", "/run/user/7",
            "XDG_CONFIG_HOME", "/cfg",
            "DOCKER_CONFIG", "/dc");
    assertEquals(
        List.of(
            Path.of("/a/auth.json"),
            Path.of("/cfg/containers/auth.json"),
            Path.of("/dc/config.json")),
        SessionLogins.sources(true, env));
  }

  @Test
  void podmanWithoutAnAuthFileReadsTheRuntimeDirectory() {
    Map<String, String> env = Map.of("REGISTRY_AUTH_FILE", " ", "XDG_RUNTIME_DIR", "/run/user/7");
    assertEquals(
        List.of(
            Path.of("/run/user/7/containers/auth.json"),
            Path.of(HOME, ".config/containers/auth.json"),
            Path.of(HOME, ".docker/config.json")),
        SessionLogins.sources(true, env));
  }

  @Test
  void podmanWithoutEitherReadsTheRunDirectoryOfItsUser() throws Exception {
    String uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
    Map<String, String> env = Map.of("XDG_RUNTIME_DIR", "", "XDG_CONFIG_HOME", " ");
    assertEquals(
        List.of(
            Path.of("/run/containers", uid, "auth.json"),
            Path.of(HOME, ".config/containers/auth.json"),
            Path.of(HOME, ".docker/config.json")),
        SessionLogins.sources(true, env));
  }

  @Test
  void dockerReadsOnlyItsConfig() {
    assertEquals(
        List.of(Path.of("/dc/config.json")),
        SessionLogins.sources(false, Map.of("DOCKER_CONFIG", "/dc", "REGISTRY_AUTH_FILE", "/a")));
  }

  @Test
  void theFirstFilesEntryWinsAndTheServersEntriesAreLeftOut() throws Exception {
    Path first = write("first.json", "{\"auths\": {\"a.example\": {\"auth\": \"Zmlyc3Q=\"}}}");
    Path config = Files.createDirectories(tmp.resolve("xdg/containers"));
    Files.writeString(config.resolve("auth.json"), "not json");
    Path docker = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(
        docker.resolve("config.json"),
        """
        {"auths": {"a.example": {"auth": "c2Vjb25k"}, "b.example": {"auth": "Yg=="},
                   "https://cache.example:5000/v2/": {"auth": "Yw=="}},
         "credHelpers": {"cache.example:5000": "pass"}, "credsStore": "secretservice"}
        """);
    Path session = Files.createDirectories(tmp.resolve("session"));
    Files.writeString(session.resolve("auth.json"), "stale");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("REGISTRY_AUTH_FILE", first.toString());
    env.put("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
    env.put("DOCKER_CONFIG", docker.toString());

    SessionLogins.seed("podman", session, env, "cache.example:5000");

    Path seeded = session.resolve("auth.json");
    assertEquals(
        "{\"auths\": {\"a.example\": {\"auth\": \"Zmlyc3Q=\"}, \"b.example\": {\"auth\": \"Yg==\"}}}\n",
        Files.readString(seeded),
        "no credHelpers left, no credsStore, the unreadable file gives nothing");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(seeded)));
  }

  @Test
  void dockersFileNamesNoCredentialStoreAndKeepsOtherHelpers() throws Exception {
    Path docker = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(
        docker.resolve("config.json"),
        "{\"credHelpers\": {\"h.example\": \"ecr-login\", \"cache.example\": \"pass\"}}");
    Path session = Files.createDirectories(tmp.resolve("session"));

    SessionLogins.seed(
        "docker", session, Map.of("DOCKER_CONFIG", docker.toString()), "cache.example");

    assertEquals(
        "{\"auths\": {\"nss.invalid\": {}}, \"credHelpers\": {\"h.example\": \"ecr-login\"}}\n",
        Files.readString(session.resolve("config.json")));
    assertFalse(Files.exists(session.resolve("auth.json")));
  }

  @Test
  void aSessionThatCannotBeWrittenNamesTheFileAndItsParent() throws Exception {
    Path session = tmp.resolve("missing/session");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () ->
                SessionLogins.seed(
                    "docker", session, Map.of("DOCKER_CONFIG", tmp.toString()), "cache.example"));
    assertEquals(-1, e.exitCode());
    assertTrue(
        e.getMessage()
            .startsWith(
                "Could not write the private registry login "
                    + session.resolve("config.json")
                    + " ("),
        e.getMessage());
    assertTrue(
        e.getMessage().endsWith("). Check that " + tmp.resolve("missing") + " is writable."),
        e.getMessage());
  }

  @Test
  void valuesAreWrittenAsJson() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("list", Arrays.asList("a\"b", 2L, true, null));
    value.put("empty", List.of());
    assertEquals(
        "{\"list\": [\"a\\\"b\", 2, true, null], \"empty\": []}", SessionLogins.write(value));
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(tmp.resolve(name), text);
  }
}
