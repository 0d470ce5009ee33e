package dev.nss.container;

import dev.nss.engine.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The argv of the commands that talk to a registry: tag, push, manifest lists, login. */
public final class RegistryCommands {

  private RegistryCommands() {}

  public static List<String> tag(String cli, String image, String reference) {
    return List.of(cli, "tag", image, reference);
  }

  /** docker: pushes a tagged image; the digest is in its output. */
  public static List<String> push(String cli, String reference) {
    return List.of(cli, "push", reference);
  }

  /**
   * podman: pushes a local image to {@code reference} as a Docker schema 2 manifest (what docker
   * pushes, and what every docker client reads), writing the digest to {@code digestFile}.
   */
  public static List<String> push(
      String cli, String image, String reference, boolean insecure, Path digestFile) {
    List<String> argv = new ArrayList<>(List.of(cli, "push", "--format", "v2s2"));
    addTlsVerify(argv, insecure);
    argv.addAll(List.of("--digestfile", digestFile.toString(), image, reference));
    return argv;
  }

  /**
   * docker: removes a local manifest list left by an earlier, failed run (fails quietly when there
   * is none).
   */
  public static List<String> manifestRemove(String cli, String list) {
    return List.of(cli, "manifest", "rm", list);
  }

  /** docker: a local manifest list {@code list} of the pushed per-platform images. */
  public static List<String> manifestCreate(
      String cli, String list, List<String> images, boolean insecure) {
    List<String> argv = new ArrayList<>(List.of(cli, "manifest", "create"));
    if (insecure) {
      argv.add("--insecure");
    }
    argv.add(list);
    argv.addAll(images);
    return argv;
  }

  /** docker: pushes the list and forgets it locally; prints the list's digest. */
  public static List<String> manifestPush(String cli, String list, boolean insecure) {
    List<String> argv = new ArrayList<>(List.of(cli, "manifest", "push"));
    if (insecure) {
      argv.add("--insecure");
    }
    argv.add("--purge");
    argv.add(list);
    return argv;
  }

  /**
   * podman: pushes the local list and every image in it to {@code reference}, as a Docker manifest
   * list (docker 20.10's {@code manifest inspect} cannot read an OCI index).
   */
  public static List<String> manifestPush(
      String cli, String list, String reference, boolean insecure, Path digestFile) {
    List<String> argv =
        new ArrayList<>(List.of(cli, "manifest", "push", "--all", "--format", "v2s2"));
    addTlsVerify(argv, insecure);
    argv.addAll(List.of("--digestfile", digestFile.toString(), list, "docker://" + reference));
    return argv;
  }

  /** The local image's JSON description (id, os, architecture, labels). */
  public static List<String> imageInspect(String cli, String image) {
    return List.of(cli, "image", "inspect", image);
  }

  /** The local image's id; fails when the local store has no image of that name. */
  static List<String> imageId(String cli, String image) {
    return List.of(cli, "image", "inspect", "--format", "{{.Id}}", image);
  }

  /**
   * Pulls {@code image} for {@code platform} (null: the engine's own). {@code insecure} matters to
   * podman only, as for {@link #login}.
   */
  static List<String> pull(String cli, String image, String platform, boolean insecure) {
    List<String> argv = new ArrayList<>(List.of(cli, "pull"));
    if (platform != null) {
      argv.add("--platform");
      argv.add(platform);
    }
    if (insecure && Engine.isPodman(cli)) {
      argv.add("--tls-verify=false");
    }
    argv.add(image);
    return argv;
  }

  /**
   * Logs in with the password on stdin. {@code server} null means the CLI's default registry.
   * {@code insecure} matters to podman only; docker follows its daemon's insecure-registry rules.
   */
  public static List<String> login(String cli, String username, String server, boolean insecure) {
    List<String> argv = new ArrayList<>(List.of(cli, "login"));
    addTlsVerify(argv, insecure);
    argv.addAll(List.of("--username", username, "--password-stdin"));
    if (server != null) {
      argv.add(server);
    }
    return argv;
  }

  public static List<String> logout(String cli, String server) {
    List<String> argv = new ArrayList<>(List.of(cli, "logout"));
    if (server != null) {
      argv.add(server);
    }
    return argv;
  }

  /** podman's switch for plain-HTTP registries; docker has none on these commands. */
  private static void addTlsVerify(List<String> argv, boolean insecure) {
    if (insecure && Engine.isPodman(argv.get(0))) {
      argv.add("--tls-verify=false");
    }
  }
}
