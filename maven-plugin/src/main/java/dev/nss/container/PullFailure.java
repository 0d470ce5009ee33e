package dev.nss.container;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Recognises a build that failed because a base image could not be pulled, and names the image,
 * why, and the build argument of the bundled Dockerfiles that chooses it, so that the fix (a mirror
 * in {@code <buildArgs>}) is one step.
 */
final class PullFailure {

  /** The build arguments that choose base images, with the Dockerfiles' defaults. */
  static final Map<String, String> IMAGE_ARGS = defaults();

  /**
   * BuildKit's error summary: {@code > [internal] load metadata for ghcr.io/astral-sh/uv:0.9.14:}.
   */
  private static final Pattern BUILDKIT =
      Pattern.compile("(?m)^ > \\[[^\\]]*\\] load metadata for (\\S+):\\s*$");

  /**
   * buildah: {@code initializing source docker://ghcr.io/astral-sh/uv:0.9.14: pinging container
   * registry ...}.
   */
  private static final Pattern BUILDAH = Pattern.compile("initializing source docker://(\\S+?): ");

  private PullFailure() {}

  private static Map<String, String> defaults() {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("CUDA_IMAGE_REPO", "nvidia/cuda");
    args.put("UV_IMAGE", "ghcr.io/astral-sh/uv");
    args.put("NSS_JDK_IMAGE", "eclipse-temurin:25-jdk");
    args.put("NSS_GRAALVM_IMAGE", "ghcr.io/graalvm/native-image-community:25");
    args.put("PYTHON_IMAGE", "python:3.11-slim");
    return args;
  }

  /** The explanation of a failed build's output, or null when no base image pull failed. */
  static String explain(List<String> argv, int exitCode, String output) {
    return image(output) == null ? null : cause(argv, exitCode, output) + " " + fix(argv, output);
  }

  /** The base image whose pull failed the build, as its output names it; null when none did. */
  static String image(String output) {
    String image = Matches.lastGroup(BUILDKIT, output);
    return image != null ? image : Matches.lastGroup(BUILDAH, output);
  }

  /** Which image could not be pulled, and why; {@code output} names one ({@link #image}). */
  static String cause(List<String> argv, int exitCode, String output) {
    return "Could not pull the base image "
        + image(output)
        + ": "
        + reason(output)
        + " (`"
        + argv.get(0)
        + " "
        + argv.get(1)
        + "` exit code "
        + exitCode
        + ").";
  }

  /**
   * The build argument that chooses the image, pointed at a mirror; the general advice when none
   * does.
   */
  static String fix(List<String> argv, String output) {
    Map<String, String> effective = effectiveArgs(argv);
    String arg = argFor(image(output), effective);
    if (arg == null) {
      return "Point the build argument that names it at a registry mirror that has the image "
          + "(<buildArgs> in the plugin's configuration), log in to that registry, or load the image into the engine.";
    }
    return "It is chosen by the build argument "
        + arg
        + " (now "
        + effective.get(arg)
        + "): point it at a registry mirror that has the image, in the plugin's configuration: <buildArgs><"
        + arg
        + ">mirror.example/"
        + withoutRegistry(effective.get(arg))
        + "</"
        + arg
        + "></buildArgs>; or log in to that registry, or load the image into the engine.";
  }

  private static String reason(String output) {
    String o = output.toLowerCase(Locale.ROOT);
    if (o.contains("no such host")) {
      return "the registry's host name does not resolve (no network, or no DNS for it)";
    }
    if (o.contains("connection refused")
        || o.contains("i/o timeout")
        || o.contains("network is unreachable")
        || o.contains("no route to host")
        || o.contains("tls handshake timeout")) {
      return "the registry cannot be reached";
    }
    if (o.contains("401")
        || o.contains("403")
        || o.contains("unauthorized")
        || o.contains("denied")
        || o.contains("forbidden")) {
      return "the registry refused access (not logged in, or no permission)";
    }
    if (o.contains("http response to https client")) {
      return "the registry speaks plain HTTP (list it as insecure: docker's insecure-registries in daemon.json, "
          + "podman's [[registry]] insecure = true in registries.conf)";
    }
    if (o.contains("no match for platform")) {
      return "the image has no variant for the platform being built";
    }
    if (o.contains("manifest unknown") || o.contains("not found")) {
      return "the registry has no such image or tag";
    }
    return "the pull failed (the engine's reason is above)";
  }

  /**
   * The image build arguments as this build sets them: --build-arg values over the Dockerfiles'
   * defaults.
   */
  private static Map<String, String> effectiveArgs(List<String> argv) {
    Map<String, String> effective = new LinkedHashMap<>(IMAGE_ARGS);
    for (int i = 0; i + 1 < argv.size(); i++) {
      if (argv.get(i).equals("--build-arg")) {
        String[] pair = argv.get(i + 1).split("=", 2);
        if (pair.length == 2 && effective.containsKey(pair[0])) {
          effective.put(pair[0], pair[1]);
        }
      }
    }
    return effective;
  }

  private static String argFor(String image, Map<String, String> effective) {
    String name = normalized(image);
    for (Map.Entry<String, String> e : effective.entrySet()) {
      String value = normalized(e.getValue());
      if (name.equals(value) || name.startsWith(value + ":") || name.startsWith(value + "@")) {
        return e.getKey();
      }
    }
    return null;
  }

  /**
   * Docker Hub names as written in a Dockerfile: without {@code docker.io/} and {@code library/}.
   */
  private static String normalized(String image) {
    String n = image;
    for (String prefix :
        List.of(
            "docker.io/library/", "docker.io/", "index.docker.io/library/", "index.docker.io/")) {
      if (n.startsWith(prefix)) {
        return n.substring(prefix.length());
      }
    }
    return n;
  }

  private static String withoutRegistry(String image) {
    String[] parts = image.split("/", 2);
    return parts.length == 2 && RegistryTarget.isHost(parts[0]) ? parts[1] : image;
  }
}
