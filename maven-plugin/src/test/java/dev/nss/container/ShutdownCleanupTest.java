package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to a run's container when Maven (a child JVM running {@link AbortProbe}) is
 * signalled or killed. The fake CLI records each step in files; waits are hang guards.
 */
class ShutdownCleanupTest {

  @TempDir Path tmp;

  @BeforeEach
  void fakeCli() throws Exception {
    Path cli = tmp.resolve("fake-docker");
    Files.writeString(
        cli,
        """
        #!/bin/sh
        d='%s'
        case "$1" in
          create) echo $$ > "$d/creating"; [ -e "$d/slow" ] && sleep 1; touch "$d/created"; echo id-probe ;;
          start) echo $$ > "$d/start.tmp"; mv "$d/start.tmp" "$d/started"; exec sleep 60 ;;
          rm) echo "$@" >> "$d/removed" ;;
        esac
        """
            .formatted(tmp));
    Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void sigtermRemovesTheRunningContainerByItsId() throws Exception {
    Process maven = probe();
    try {
      await("started", maven);
      maven.destroy(); // SIGTERM
      assertTrue(maven.waitFor(60, TimeUnit.SECONDS), "probe did not exit");
    } finally {
      cleanUp(maven);
    }
    assertEquals(List.of("rm -f id-probe"), Files.readAllLines(tmp.resolve("removed")));
  }

  /**
   * Ctrl-C (SIGINT to the whole process group) while the create is in flight: the create is not in
   * that group, so it finishes and reports the id, and that id is removed; the container is never
   * started.
   */
  @Test
  void groupSigintWhileTheContainerIsCreatedRemovesExactlyThatContainer() throws Exception {
    Files.writeString(tmp.resolve("slow"), "");
    Process maven = probe();
    try {
      await("creating", maven);
      Process kill =
          new ProcessBuilder("kill", "-INT", "--", "-" + maven.pid()).inheritIO().start();
      assertEquals(0, kill.waitFor());
      assertTrue(maven.waitFor(60, TimeUnit.SECONDS), "probe did not exit");
    } finally {
      cleanUp(maven);
    }
    assertTrue(
        Files.exists(tmp.resolve("created")), "the create was cut short by the group signal");
    assertEquals(List.of("rm -f id-probe"), Files.readAllLines(tmp.resolve("removed")));
    assertFalse(Files.exists(tmp.resolve("started")), "a container was started after Ctrl-C");
  }

  /**
   * SIGKILL to Maven alone (a CI timeout): no hook runs; the keeper sees its pipe end and removes
   * the container.
   */
  @Test
  void sigkillOfMavenLetsTheKeeperRemoveTheContainer() throws Exception {
    Process maven = probe();
    try {
      await("started", maven);
      Process kill =
          new ProcessBuilder("kill", "-KILL", Long.toString(maven.pid())).inheritIO().start();
      assertEquals(0, kill.waitFor());
      assertTrue(maven.waitFor(60, TimeUnit.SECONDS), "probe did not die");
      await("removed", null);
    } finally {
      cleanUp(maven);
    }
    assertEquals(List.of("rm -f id-probe"), Files.readAllLines(tmp.resolve("removed")));
  }

  /**
   * The probe JVM in a session of its own, so that {@code kill -INT -PID} is a terminal's Ctrl-C.
   * SIGINT back at its default: a shell's background job ({@code mvn test &}) ignores it, children
   * inherit that, and a JVM that starts with SIGINT ignored never runs its hooks on it.
   */
  private Process probe() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            "setsid",
            "env",
            "--default-signal=INT",
            java,
            "-cp",
            System.getProperty("java.class.path"),
            AbortProbe.class.getName(),
            tmp.toString())
        .inheritIO()
        .start();
  }

  /** Hang guard: waits up to a minute for the fake CLI to write {@code file}. */
  private void await(String file, Process alive) throws InterruptedException {
    for (int i = 0; i < 600 && !Files.exists(tmp.resolve(file)); i++) {
      assertTrue(alive == null || alive.isAlive(), "probe ended before " + file);
      Thread.sleep(100);
    }
    assertTrue(Files.exists(tmp.resolve(file)), file + " did not appear");
  }

  /** Kills the probe and the fake start's {@code sleep}, which outlive a killed probe. */
  private void cleanUp(Process maven) throws Exception {
    maven.destroyForcibly();
    Path started = tmp.resolve("started");
    if (Files.exists(started)) {
      ProcessHandle.of(Long.parseLong(Files.readString(started).strip()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
