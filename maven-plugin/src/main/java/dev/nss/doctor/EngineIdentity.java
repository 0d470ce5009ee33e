package dev.nss.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What decides how the engine builds, as the key of a cached probe result ({@link ProbeCache}): the
 * CLI binary (real path, size, modification time), the engine (product, version, Docker's daemon
 * ID, podman's buildah version, storage driver and root, OCI runtimes, architecture), and the size
 * and modification time of the builder's configuration files. A change in any of them, e.g. an
 * engine update, another daemon behind {@code DOCKER_HOST} or an edited {@code containers.conf},
 * makes another key, so the probe runs again. Only versions, paths, sizes and times: no file
 * content.
 */
final class EngineIdentity {

  /** Podman's (and buildah's) configuration files, system-wide and the user's. */
  private static final List<String> PODMAN_CONFIG =
      List.of(
          "/usr/share/containers/containers.conf",
          "/etc/containers/containers.conf",
          "/usr/share/containers/storage.conf",
          "/etc/containers/storage.conf");

  private static final List<String> DOCKER_CONFIG = List.of("/etc/docker/daemon.json");

  private EngineIdentity() {}

  static Map<String, String> of(CheckContext context, EngineInfo info) {
    Map<String, String> key = new LinkedHashMap<>();
    Path cli = context.cliPath().orElseThrow();
    key.put("cli", stamp(realPath(cli)));
    key.put("engine", info.product() + " " + info.version());
    key.put("engineId", info.id());
    key.put("builder", info.builderVersion());
    key.put("storage", info.storageDriver() + " " + info.rootDir());
    key.put("runtimes", String.join(",", info.runtimes()));
    key.put("architecture", info.architecture());
    key.put("config", String.join("; ", configStamps(context)));
    return key;
  }

  private static List<String> configStamps(CheckContext context) {
    DoctorEnvironment env = context.environment();
    List<String> stamps = new ArrayList<>();
    if (context.isPodman()) {
      for (String file : PODMAN_CONFIG) {
        stamps.add(stamp(env.hostPath(file)));
      }
      for (String file : List.of("containers.conf", "storage.conf")) {
        userConfig(env, file).ifPresent(p -> stamps.add(stamp(p)));
      }
      for (String variable : List.of("CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF")) {
        if (!env.env(variable).isBlank()) {
          stamps.add(variable + "=" + stamp(Paths.get(env.env(variable))));
        }
      }
    } else {
      for (String file : DOCKER_CONFIG) {
        stamps.add(stamp(env.hostPath(file)));
      }
    }
    return stamps;
  }

  /** {@code $XDG_CONFIG_HOME/containers/FILE}, else {@code $HOME/.config/containers/FILE}. */
  private static Optional<Path> userConfig(DoctorEnvironment env, String file) {
    if (!env.env("XDG_CONFIG_HOME").isBlank()) {
      return Optional.of(Paths.get(env.env("XDG_CONFIG_HOME"), "containers", file));
    }
    if (!env.env("HOME").isBlank()) {
      return Optional.of(Paths.get(env.env("HOME"), ".config", "containers", file));
    }
    return Optional.empty();
  }

  /**
   * {@code PATH SIZE MTIME} (size in bytes, time in epoch milliseconds), or {@code PATH absent}.
   */
  static String stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return file + " " + a.size() + " " + a.lastModifiedTime().toMillis();
    } catch (IOException e) {
      return file + " absent";
    }
  }

  private static Path realPath(Path file) {
    try {
      return file.toRealPath();
    } catch (IOException e) {
      return file;
    }
  }
}
