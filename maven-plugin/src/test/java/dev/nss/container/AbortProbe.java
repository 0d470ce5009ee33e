package dev.nss.container;

import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link ShutdownCleanupTest}: starts a fake {@code docker run} that sleeps, and records any
 * {@code rm -f} the shutdown hook issues into {@code <dir>/removed}. With a second argument {@code in-flight} the fake
 * engine is still creating the container when the CLI starts: it appears ({@code <dir>/container}) half a second
 * later ({@code <dir>/created} records that), outside the process group, and {@code rm -f} fails with "No such container" until then.
 */
public final class AbortProbe {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    boolean inFlight = args.length > 1 && args[1].equals("in-flight");
    String container = "'" + dir.resolve("container") + "'";
    String removed = "'" + dir.resolve("removed") + "'";
    ContainerCli cli = new ContainerCli(argv -> {
      if (argv.get(1).equals("rm")) {
        String rm = inFlight
            ? "if [ -e " + container + " ]; then rm " + container + "; echo \"$*\" > " + removed + "; else echo "
                + "'Error: No such container' >&2; exit 1; fi"
            : "echo \"$*\" > " + removed;
        return new ProcessBuilder(concat("sh", "-c", rm, "sh", argv));
      }
      String create = inFlight ? "setsid sh -c 'sleep 0.5; touch " + container.replace("'", "") + " "
          + dir.resolve("created") + "' & " : "";
      return new ProcessBuilder("sh", "-c", create + "touch '" + dir.resolve("started") + "'; exec sleep 60");
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
