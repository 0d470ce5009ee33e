package dev.nss.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real registry for one test class: Debian's {@code docker-registry} with htpasswd auth on a free
 * 127.0.0.1 port, storage and config in a private directory, stopped by its PID. It also holds a
 * login of its own (a docker config and a podman auth file) for the tests' checks, so that they
 * never touch the user's.
 */
public final class Registry implements AutoCloseable {

  private final Path dir;
  private final Process process;
  private final int port;
  private final String user;
  private final String password;

  private Registry(Path dir, Process process, int port, String user, String password) {
    this.user = user;
    this.dir = dir;
    this.process = process;
    this.port = port;
    this.password = password;
  }

  /**
   * Starts a registry that accepts {@code user} with {@code password}; fails when it does not
   * answer in 15 s.
   */
  public static Registry start(String user, String password) {
    try {
      Path dir = Files.createTempDirectory("nss-it-registry-");
      Process htpasswd =
          new ProcessBuilder("htpasswd", "-iBc", dir.resolve("htpasswd").toString(), user)
              .redirectErrorStream(true)
              .start();
      try (var in = htpasswd.getOutputStream()) {
        in.write(password.getBytes(StandardCharsets.UTF_8)); // -i: from stdin, not argv
      }
      if (htpasswd.waitFor() != 0) {
        throw new IllegalStateException(
            "htpasswd failed: "
                + new String(htpasswd.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      int port;
      try (ServerSocket socket =
          new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Files.writeString(
          dir.resolve("config.yml"),
          """
          version: 0.1
          log:
            level: warn
          storage:
            filesystem:
              rootdirectory: %s
            delete:
              enabled: true
          http:
            addr: 127.0.0.1:%d
          auth:
            htpasswd:
              realm: nss-it
              path: %s
          """
              .formatted(dir.resolve("data"), port, dir.resolve("htpasswd")));
      Process process =
          new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("registry.log").toFile())
              .start();
      Registry registry = new Registry(dir, process, port, user, password);
      registry.writeLogins();
      long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (registry.status("/v2/", false) != 401) {
        if (!process.isAlive() || System.nanoTime() > end) {
          registry.close();
          throw new IllegalStateException(
              "docker-registry did not answer on 127.0.0.1:"
                  + port
                  + ": "
                  + Files.readString(dir.resolve("registry.log")));
        }
        Thread.sleep(50);
      }
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public String password() {
    return password;
  }

  /**
   * A settings.xml with a {@code <server>} of this id for this registry (kept outside any project).
   */
  public Path settings(String serverId, String passwordToUse) {
    Path file =
        dir.resolve(
            "settings-" + serverId + "-" + Integer.toHexString(passwordToUse.hashCode()) + ".xml");
    try {
      Files.writeString(
          file,
          """
          <settings>
            <servers>
              <server><id>%s</id><username>%s</username><password>%s</password></server>
            </servers>
          </settings>
          """
              .formatted(serverId, user, passwordToUse),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * The environment that gives docker (DOCKER_CONFIG) and podman (REGISTRY_AUTH_FILE) this
   * registry's login.
   */
  public Map<String, String> loginEnvironment() {
    return Map.of(
        "DOCKER_CONFIG",
        dir.resolve("docker").toString(),
        "REGISTRY_AUTH_FILE",
        dir.resolve("docker/config.json").toString());
  }

  /** The tags of {@code repository} in the registry; empty when the registry does not know it. */
  public List<String> tags(String repository) {
    HttpResponse<String> response = get("/v2/" + repository + "/tags/list", true);
    if (response.statusCode() == 404) {
      return List.of();
    }
    Object tags = Json.object(response.body()).get("tags");
    return tags == null ? List.of() : ((List<?>) tags).stream().map(String::valueOf).toList();
  }

  private void writeLogins() throws IOException {
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(dir.resolve("docker"));
    Files.writeString(
        dir.resolve("docker/config.json"),
        "{\"auths\": {\"" + host() + "\": {\"auth\": \"" + auth + "\"}}}\n",
        StandardCharsets.UTF_8);
  }

  private int status(String path, boolean authenticated) {
    try {
      return get(path, authenticated).statusCode();
    } catch (UncheckedIOException e) {
      return -1;
    }
  }

  private HttpResponse<String> get(String path, boolean authenticated) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + host() + path))
            .timeout(Duration.ofSeconds(10));
    if (authenticated) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    try {
      return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the registry by its PID and deletes its storage, config and logins. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    SampleProject.delete(dir);
  }
}
