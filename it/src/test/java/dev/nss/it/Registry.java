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

  /**
   * The registry's blob store as it is on disk: every blob's digest ({@code sha256:HEX}) and size
   * (layers, configs and manifests alike).
   */
  public Map<String, Long> blobs() {
    Path root = dir.resolve("data/docker/registry/v2/blobs/sha256");
    Map<String, Long> blobs = new java.util.TreeMap<>();
    if (!Files.isDirectory(root)) {
      return blobs;
    }
    try (var files = Files.walk(root)) {
      for (Path data : files.filter(f -> f.getFileName().toString().equals("data")).toList()) {
        blobs.put("sha256:" + data.getParent().getFileName(), Files.size(data));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return blobs;
  }

  /** The layers (digest and compressed size, base first) of {@code repository:tag}'s manifest. */
  public List<Map.Entry<String, Long>> layers(String repository, String tag) {
    HttpResponse<String> response =
        get(
            "/v2/" + repository + "/manifests/" + tag,
            true,
            "application/vnd.docker.distribution.manifest.v2+json,"
                + " application/vnd.oci.image.manifest.v1+json");
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "manifest "
              + repository
              + ":"
              + tag
              + ": "
              + response.statusCode()
              + " "
              + response.body());
    }
    List<Map.Entry<String, Long>> layers = new java.util.ArrayList<>();
    for (Object layer : (List<?>) Json.object(response.body()).get("layers")) {
      Map<?, ?> m = (Map<?, ?>) layer;
      layers.add(Map.entry((String) m.get("digest"), ((Number) m.get("size")).longValue()));
    }
    return layers;
  }

  /** The digest under which the registry keeps {@code repository:tag}'s manifest. */
  public String manifestDigest(String repository, String tag) {
    return get(
            "/v2/" + repository + "/manifests/" + tag,
            true,
            "application/vnd.docker.distribution.manifest.v2+json,"
                + " application/vnd.oci.image.manifest.v1+json")
        .headers()
        .firstValue("Docker-Content-Digest")
        .orElseThrow();
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
    return get(path, authenticated, "application/json");
  }

  private HttpResponse<String> get(String path, boolean authenticated, String accept) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + host() + path))
            .header("Accept", accept)
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
