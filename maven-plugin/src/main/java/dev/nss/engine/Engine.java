package dev.nss.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * Which engine a container CLI drives, decided from the CLI's file name ({@code podman}, {@code
 * podman-remote}, {@code /usr/bin/docker}), and the engine commands every part of nss shares.
 */
public final class Engine {

  private Engine() {}

  public static boolean isPodman(String cli) {
    return Path.of(cli).getFileName().toString().startsWith("podman");
  }

  public static boolean isDocker(String cli) {
    return Path.of(cli).getFileName().toString().equals("docker");
  }

  /**
   * Removes a container, running or not, at once: docker's {@code rm -f} kills it; podman's would
   * first wait 10 s for the stop signal to work, so it gets {@code --time 0}.
   */
  public static List<String> forceRemove(String cli, String container) {
    if (isPodman(cli)) {
      return List.of(cli, "rm", "-f", "--time", "0", container);
    }
    return List.of(cli, "rm", "-f", container);
  }
}
