package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A second, private dockerd (own socket, data-root, exec-root, pidfile and bridge) that a test may
 * kill and restart; the machine's engine is never touched. Its bridge is an interface of its own:
 * {@code --bridge=none} would make dockerd delete the shared {@code docker0}. Images: a busybox
 * root made with {@code docker import}.
 */
final class PrivateEngine implements AutoCloseable {

  static final String BUSYBOX = "nss-rel/busybox:1";

  final Path dir;
  final String host;
  private final String bridge;
  private Process dockerd;

  PrivateEngine() {
    Rel.requireEngine();
    Rel.require(
        Files.isExecutable(Path.of("/usr/sbin/dockerd"))
            && Files.isExecutable(Path.of("/bin/busybox"))
            && Files.isExecutable(Path.of("/usr/sbin/ip"))
            && "root".equals(System.getProperty("user.name")),
        "a private dockerd needs root, /usr/sbin/dockerd (docker.io), /bin/busybox (busybox-static) and ip (iproute2)");
    String id = Long.toHexString(System.nanoTime() & 0xffffffL);
    try {
      this.dir = Files.createDirectories(Path.of("/tmp/nss-rel-" + id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.host = "unix://" + dir.resolve("docker.sock");
    this.bridge = "nssrel" + id.substring(0, Math.min(6, id.length()));
    sh(
        "ip link add name "
            + bridge
            + " type bridge && ip addr add 10.213.77.1/24 dev "
            + bridge
            + " && ip link set "
            + bridge
            + " up");
  }

  /**
   * Starts dockerd on this engine's data-root (removing a killed one's stale pidfile) and waits
   * until it answers.
   */
  PrivateEngine start() {
    // A killed dockerd's managed containerd notices and exits on its own; a new one cannot start
    // while it holds its
    // database. Wait for it (a hang guard), then make sure.
    for (int i = 0; i < 300 && !managedContainerd().isEmpty(); i++) {
      Rel.sleep(100);
    }
    managedContainerd()
        .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    try {
      // dockerd reuses the containerd named in this file while that PID exists, and a zombie exists
      // until reaped.
      Path pidFile = dir.resolve("exec/containerd/containerd.pid");
      if (Files.exists(pidFile) && !alive(Files.readString(pidFile).strip())) {
        Files.delete(pidFile);
      }
      Files.deleteIfExists(dir.resolve("docker.pid"));
      ProcessBuilder pb =
          new ProcessBuilder(
                  "/usr/sbin/dockerd",
                  "--host",
                  host,
                  "--data-root",
                  dir.resolve("data").toString(),
                  "--exec-root",
                  dir.resolve("exec").toString(),
                  "--pidfile",
                  dir.resolve("docker.pid").toString(),
                  "--bridge=" + bridge,
                  "--iptables=false",
                  "--ip-forward=false")
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()));
      dockerd = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < 600; i++) { // hang guard
      if (Rel.dockerAt(host, "info", "--format", "{{.ID}}").exitCode() == 0) {
        return this;
      }
      assertTrue(
          dockerd.isAlive(), () -> "dockerd ended:\n" + Rel.read(dir.resolve("dockerd.log")));
      Rel.sleep(100);
    }
    throw new AssertionError(
        "the private dockerd did not answer:\n" + Rel.read(dir.resolve("dockerd.log")));
  }

  /** A busybox image whose entrypoint is {@code sleep}. */
  void importBusybox() {
    Path root = dir.resolve("root");
    sh(
        "mkdir -p "
            + root
            + "/bin "
            + root
            + "/workspace && cp /bin/busybox "
            + root
            + "/bin/ && for c in sh sleep "
            + "echo cat; do ln -sf busybox "
            + root
            + "/bin/$c; done && tar -C "
            + root
            + " -c . | DOCKER_HOST="
            + host
            + " "
            + Rel.DOCKER
            + " import --change 'ENTRYPOINT [\"/bin/sleep\"]' - "
            + BUSYBOX);
  }

  /** Kills dockerd with a signal and waits for it to end (a hang guard, not a timing check). */
  void kill(String signal) {
    sh("kill -" + signal + " " + dockerd.pid());
    try {
      assertTrue(
          dockerd.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "dockerd did not end");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends dockerd {@code signal} without waiting (STOP: a hung engine; CONT: back again). */
  void signal(String signal) {
    sh("kill -" + signal + " " + dockerd.pid());
  }

  Rel.Result docker(String... args) {
    return Rel.dockerAt(host, args);
  }

  /** A process that exists and is not a zombie. */
  private static boolean alive(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private List<Long> managedContainerd() {
    String config = dir.resolve("exec/containerd/containerd.toml").toString();
    return Rel.processes(c -> c.startsWith("containerd\0") && c.contains(config)).stream()
        .filter(pid -> alive(Long.toString(pid)))
        .toList();
  }

  /**
   * PIDs of host processes whose argv is exactly {@code sleep SECONDS} (a test's unique duration).
   */
  static List<Long> sleeping(int seconds) {
    return Rel.processes(
        c -> c.equals("sleep\0" + seconds + "\0") || c.equals("/bin/sleep\0" + seconds + "\0"));
  }

  /**
   * Stops dockerd, kills what it may have orphaned (shims naming this dir), unmounts and removes
   * everything.
   */
  @Override
  public void close() {
    if (dockerd != null && dockerd.isAlive()) {
      kill("TERM");
    }
    sh(
        "for p in $(grep -l '"
            + dir
            + "' /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do "
            + "[ \"$p\" = \"$$\" ] || kill -9 $p 2>/dev/null; done; true");
    sh(
        "grep ' "
            + dir
            + "' /proc/mounts | cut -d' ' -f2 | sort -r | while read m; do umount -l \"$m\"; done; "
            + "rm -rf "
            + dir
            + "; ip link del "
            + bridge
            + " 2>/dev/null; true");
    assertTrue(
        Rel.exec(List.of("ip", "link", "show", "docker0"), Map.of()).exitCode() == 0,
        "the shared engine's docker0 still exists");
  }

  static void sh(String script) {
    Rel.Result r = Rel.exec(List.of("sh", "-c", script), Map.of());
    assertEquals(0, r.exitCode(), r::describe);
  }
}
