package dev.nss.doctor;

import dev.nss.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of {@code docker info --format '{{json .}}'} or {@code podman info --format '{{json
 * .}}'} the checks use.
 *
 * @param product "Docker Engine" or "Podman"
 * @param version the engine (server) version
 * @param storageDriver e.g. {@code overlay2}
 * @param rootDir where the engine keeps images, e.g. {@code /var/lib/docker}
 * @param runtimes the registered OCI runtimes, e.g. {@code runc}, {@code nvidia}
 * @param cdiSpecDirs the CDI spec directories the engine reads (empty when it reports none)
 * @param architecture the engine host's CPU architecture as the engine names it ({@code x86_64},
 *     {@code amd64}, ...)
 * @param id the Docker daemon's {@code ID} (podman has none: "")
 * @param builderVersion the buildah version podman builds with ({@code host.buildahVersion}); ""
 *     for Docker, whose BuildKit version {@code info} does not report
 */
public record EngineInfo(
    String product,
    String version,
    String storageDriver,
    String rootDir,
    List<String> runtimes,
    List<String> cdiSpecDirs,
    String architecture,
    String id,
    String builderVersion) {

  /** CDI's default spec directories, which podman reads. */
  public static final List<String> DEFAULT_CDI_DIRS = List.of("/etc/cdi", "/var/run/cdi");

  /**
   * Reads the info JSON.
   *
   * @return the info, or empty with {@code problem} filled when the output says the engine did not
   *     answer
   */
  public static Optional<EngineInfo> parse(String json, StringBuilder problem) {
    Object root;
    try {
      root = Json.parse(json.strip());
    } catch (IllegalArgumentException e) {
      problem.append("unreadable info output: ").append(e.getMessage());
      return Optional.empty();
    }
    if (!(root instanceof Map)) {
      problem.append("unreadable info output: not a JSON object");
      return Optional.empty();
    }
    if (Json.at(root, "store") instanceof Map) {
      return Optional.of(podman(root));
    }
    // A 20.10 client exits 0 with {"ServerErrors":[...]} when the daemon does not answer.
    if (Json.at(root, "ServerErrors") instanceof List<?> errors && !errors.isEmpty()) {
      problem.append(String.valueOf(errors.get(0)));
      return Optional.empty();
    }
    String version = Json.string(root, "ServerVersion");
    if (version.isEmpty()) {
      problem.append("the engine reported no server version");
      return Optional.empty();
    }
    List<String> runtimes = new ArrayList<>();
    if (Json.at(root, "Runtimes") instanceof Map<?, ?> registered) {
      for (Object key : registered.keySet()) {
        runtimes.add(String.valueOf(key));
      }
    }
    return Optional.of(
        new EngineInfo(
            "Docker Engine",
            version,
            Json.string(root, "Driver"),
            Json.string(root, "DockerRootDir"),
            List.copyOf(runtimes),
            strings(Json.at(root, "CDISpecDirs")),
            Json.string(root, "Architecture"),
            Json.string(root, "ID"),
            ""));
  }

  private static EngineInfo podman(Object root) {
    List<String> runtimes = new ArrayList<>();
    String ociRuntime = Json.string(root, "host", "ociRuntime", "name");
    if (!ociRuntime.isEmpty()) {
      runtimes.add(ociRuntime);
    }
    return new EngineInfo(
        "Podman",
        Json.string(root, "version", "Version"),
        Json.string(root, "store", "graphDriverName"),
        Json.string(root, "store", "graphRoot"),
        List.copyOf(runtimes),
        DEFAULT_CDI_DIRS,
        Json.string(root, "host", "arch"),
        "",
        Json.string(root, "host", "buildahVersion"));
  }

  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof String string) {
          out.add(string);
        }
      }
    }
    return List.copyOf(out);
  }
}
