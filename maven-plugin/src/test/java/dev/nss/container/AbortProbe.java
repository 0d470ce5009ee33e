package dev.nss.container;

import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link ShutdownCleanupTest}: starts a fake {@code docker run} that sleeps, and records any
 * {@code rm -f} the shutdown hook issues into {@code <dir>/removed}.
 */
public final class AbortProbe {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ContainerCli cli = new ContainerCli(argv -> {
      if (argv.get(1).equals("rm")) {
        return new ProcessBuilder(concat("sh", "-c", "echo \"$*\" > '" + dir.resolve("removed") + "'", "sh", argv));
      }
      return new ProcessBuilder("sh", "-c", "touch '" + dir.resolve("started") + "'; exec sleep 60");
    }, dir, line -> { }, false, System.err, null);
    cli.interactive(List.of("docker", "run", "--name", "nss-run-probe", "img"), "nss-run-probe");
  }

  private static List<String> concat(String a, String b, String c, String d, List<String> rest) {
    List<String> all = new java.util.ArrayList<>(List.of(a, b, c, d));
    all.addAll(rest);
    return all;
  }

  private AbortProbe() {}
}
