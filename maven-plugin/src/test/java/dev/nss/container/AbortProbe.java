package dev.nss.container;

import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link ShutdownCleanupTest}: runs container {@code nss-run-probe} through
 * the fake CLI {@code <dir>/fake-docker} (a script the test writes, which records what happens in
 * {@code <dir>}).
 */
public final class AbortProbe {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ContainerCli cli =
        new ContainerCli(ProcessBuilder::new, dir, line -> {}, false, System.err, null);
    cli.run(
        List.of(dir.resolve("fake-docker").toString(), "create", "--name", "nss-run-probe", "img"),
        "nss-run-probe",
        false);
  }

  private AbortProbe() {}
}
