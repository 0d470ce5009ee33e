package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.Json;
import dev.nss.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A build that runs with a private {@link RegistrySession} reads only that session's credential
 * file. So that its base images still pull with the user's own logins, the session starts with the
 * {@code auths} and {@code credHelpers} entries of the files the engine would read (podman: {@code
 * REGISTRY_AUTH_FILE}, else {@code $XDG_RUNTIME_DIR/containers/auth.json} or {@code
 * /run/containers/UID/auth.json}, then {@code ~/.config/containers/auth.json}, then docker's;
 * docker: its {@code config.json}), the first file's entry winning as in the engines. The cache
 * registry's own entries are left out, so that the login writes to the session's file; a {@code
 * credsStore} is left out too, so that it never receives the login (logins kept only in a
 * credential store do not reach the build).
 */
final class SessionLogins {

  private SessionLogins() {}

  /** Writes the session's credential file for {@code engine}, without {@code server}'s entries. */
  static void seed(String engine, Path sessionDir, Map<String, String> environment, String server)
      throws CommandFailedException {
    boolean podman = Engine.isPodman(engine);
    Map<String, Object> auths = new LinkedHashMap<>();
    Map<String, Object> helpers = new LinkedHashMap<>();
    if (!podman) {
      auths.put("nss.invalid", Map.of()); // see RegistrySession: no system credential helper
    }
    for (Path source : sources(podman, environment)) {
      Object root = read(source);
      merge(auths, Json.at(root, "auths"), server);
      merge(helpers, Json.at(root, "credHelpers"), server);
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("auths", auths);
    if (!helpers.isEmpty()) {
      file.put("credHelpers", helpers);
    }
    Path target = sessionDir.resolve(podman ? "auth.json" : "config.json");
    try {
      Files.deleteIfExists(target);
      Files.createFile(
          target,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(target, write(file) + "\n", StandardCharsets.UTF_8);
    } catch (IOException | UnsupportedOperationException e) {
      throw new CommandFailedException(
          "Could not write the private registry login "
              + target
              + " ("
              + e.getMessage()
              + "). Check that "
              + sessionDir.getParent()
              + " is writable.",
          -1);
    }
  }

  /** The credential files the engine reads, in its order of precedence. */
  static List<Path> sources(boolean podman, Map<String, String> environment) {
    List<Path> paths = new ArrayList<>();
    String home = System.getProperty("user.home");
    if (podman) {
      String authFile = environment.get("REGISTRY_AUTH_FILE");
      String runtimeDir = environment.get("XDG_RUNTIME_DIR");
      if (authFile != null && !authFile.isBlank()) {
        paths.add(Path.of(authFile));
      } else if (runtimeDir != null && !runtimeDir.isBlank()) {
        paths.add(Path.of(runtimeDir, "containers", "auth.json"));
      } else {
        uid().ifPresent(uid -> paths.add(Path.of("/run/containers", uid, "auth.json")));
      }
      String configHome = environment.get("XDG_CONFIG_HOME");
      paths.add(
          (configHome == null || configHome.isBlank()
                  ? Path.of(home, ".config")
                  : Path.of(configHome))
              .resolve("containers/auth.json"));
    }
    paths.add(Publishing.userDockerConfig(environment).resolve("config.json"));
    return paths;
  }

  private static java.util.Optional<String> uid() {
    try {
      return java.util.Optional.of(
          Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString());
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** The file's JSON, or null when it is missing or unreadable (then it gives no logins). */
  private static Object read(Path file) {
    try {
      return Files.isRegularFile(file)
          ? Json.parse(Files.readString(file, StandardCharsets.UTF_8))
          : null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private static void merge(Map<String, Object> into, Object entries, String server) {
    if (entries instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (!names(key, server)) {
          into.putIfAbsent(key, e.getValue());
        }
      }
    }
  }

  /** Whether an {@code auths} key ({@code host}, {@code https://host/v1/}, …) is the server's. */
  static boolean names(String key, String server) {
    String host = key.replaceFirst("^[a-z]+://", "");
    int slash = host.indexOf('/');
    return (slash < 0 ? host : host.substring(0, slash)).equals(server);
  }

  static String write(Object value) {
    if (value instanceof Map<?, ?> map) {
      List<String> members = new ArrayList<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        members.add(Json.quote(String.valueOf(e.getKey())) + ": " + write(e.getValue()));
      }
      return "{" + String.join(", ", members) + "}";
    }
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      for (Object item : list) {
        items.add(write(item));
      }
      return "[" + String.join(", ", items) + "]";
    }
    if (value instanceof String string) {
      return Json.quote(string);
    }
    return String.valueOf(value); // numbers, booleans, null
  }
}
