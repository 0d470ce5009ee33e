package dev.nss.container;

import java.util.List;

/**
 * Where a push goes.
 *
 * @param registry {@code host[:port][/namespace]}; the login goes to its host part
 * @param repository the registry and the image name without its tag, e.g. {@code
 *     127.0.0.1:5000/team/nss-gpu}
 * @param tags the tags to push, at least one
 * @param insecure plain HTTP or an unverifiable certificate is accepted (podman {@code
 *     --tls-verify=false}, docker {@code manifest --insecure})
 */
public record RegistryTarget(
    String registry, String repository, List<String> tags, boolean insecure) {

  public String reference(String tag) {
    return repository + ":" + tag;
  }

  /**
   * The host part of {@code registry}, or null when it names a Docker Hub namespace (the CLI's
   * default registry).
   */
  public String loginServer() {
    String first = registry.split("/", 2)[0];
    return isHost(first) ? first : null;
  }

  /**
   * Whether the registry is on this machine's loopback ({@code localhost}, {@code 127.0.0.0/8},
   * {@code [::1]}), which docker's daemon trusts over plain HTTP without configuration.
   */
  public boolean onLoopback() {
    String server = loginServer();
    if (server == null) {
      return false;
    }
    String host =
        server.startsWith("[")
            ? server.substring(0, server.indexOf(']') + 1)
            : server.split(":")[0];
    return host.equals("localhost") || host.equals("[::1]") || host.matches("127(\\.\\d{1,3}){3}");
  }

  /**
   * Whether an image reference names a registry host ({@code host.domain/...}, {@code
   * host:port/...}, {@code localhost/...}) that any machine can pull from; a bare {@code name:tag}
   * is looked up locally, then on Docker Hub.
   */
  public static boolean namesRegistry(String imageReference) {
    String[] parts = imageReference.split("/", 2);
    return parts.length == 2 && isHost(parts[0]);
  }

  /**
   * Whether the first component of a reference is a registry host (docker's rule), not a Docker Hub
   * namespace.
   */
  static boolean isHost(String firstComponent) {
    return firstComponent.contains(".")
        || firstComponent.contains(":")
        || firstComponent.equals("localhost");
  }
}
