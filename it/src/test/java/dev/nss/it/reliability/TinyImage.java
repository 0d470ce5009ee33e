package dev.nss.it.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A busybox image for lifecycle tests on docker and podman: {@code nss-it/tiny:<run id>}, imported
 * from a root file system holding the machine's static busybox and its bash with bash's libraries
 * (about 0.1 s), removed when the test JVM ends.
 */
final class TinyImage {

  static final String PODMAN = "podman";
  private static final Map<String, String> MADE = new ConcurrentHashMap<>();

  private TinyImage() {}

  /**
   * The CLIs of the engines to test, {@link dev.nss.it.Engine#selected()} (NSS_IT_ENGINES, default
   * both): docker by its path, podman as {@link #PODMAN} (the name the cases compare with).
   */
  static List<String> engines() {
    return dev.nss.it.Engine.selected().stream()
        .map(e -> e == dev.nss.it.Engine.PODMAN ? PODMAN : e.cli())
        .toList();
  }

  static String shortName(String cli) {
    return Path.of(cli).getFileName().toString();
  }

  /** The image in {@code cli}'s store, imported once per JVM. */
  static synchronized String on(String cli) {
    return MADE.computeIfAbsent(cli, TinyImage::importInto);
  }

  /** Containers, running or not, labelled as owned by Maven process {@code pid}. */
  static List<String> containersOf(String cli, long pid) {
    Rel.Result r =
        Rel.exec(
            List.of(
                cli,
                "ps",
                "-a",
                "--filter",
                "label=dev.nss.maven-pid=" + pid,
                "--format",
                "{{.Names}} {{.Status}}"),
            Map.of());
    if (r.exitCode() != 0) {
      throw new AssertionError(r.describe());
    }
    return r.out().lines().filter(l -> !l.isBlank()).toList();
  }

  private static String importInto(String cli) {
    Rel.requireEngine();
    Rel.require(
        Rel.exec(List.of(cli, "version"), Map.of()).exitCode() == 0,
        cli + " cannot reach its engine");
    Path busybox = Path.of("/bin/busybox");
    Rel.require(Files.isExecutable(busybox), "no /bin/busybox (install busybox-static)");
    String tag = "nss-it/tiny:" + Rel.RUN_ID;
    Path root = Rel.work().resolve("tiny-rootfs");
    try {
      if (!Files.exists(root.resolve("bin/sh"))) {
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("tmp"));
        Files.copy(busybox, root.resolve("bin/busybox"));
        for (String applet : List.of("sh", "sleep", "id", "touch", "echo", "cat", "ls", "mkdir")) {
          Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Rel.exec(
            List.of("chmod", "1777", root.resolve("tmp").toString()),
            Map.of()); // HOME=/tmp for any uid
        // bash and its libraries, for nss:shell's --entrypoint /bin/bash.
        for (String file :
            List.of(
                "/bin/bash",
                "/lib/x86_64-linux-gnu/libtinfo.so.6",
                "/lib/x86_64-linux-gnu/libc.so.6",
                "/lib64/ld-linux-x86-64.so.2")) {
          Path to = root.resolve(file.substring(1));
          Files.createDirectories(to.getParent());
          Files.copy(Path.of(file), to);
        }
      }
      List<Process> pipeline =
          ProcessBuilder.startPipeline(
              List.of(
                  new ProcessBuilder("tar", "-C", root.toString(), "-c", "."),
                  new ProcessBuilder(cli, "import", "-", tag)
                      .redirectError(ProcessBuilder.Redirect.DISCARD)));
      Process last = pipeline.get(1);
      last.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (last.waitFor() != 0) {
        throw new AssertionError(cli + " import failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> Rel.exec(List.of(cli, "rmi", "-f", tag), Map.of(), 60)));
    return tag;
  }
}
