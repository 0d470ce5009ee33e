package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to the JVM that runs a container (as when Maven is killed) removes that container through the hook. */
class ShutdownCleanupTest {

  @TempDir Path tmp;

  @Test
  void sigtermRemovesTheRunningContainer() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        AbortProbe.class.getName(), tmp.toString()).inheritIO().start();
    try {
      while (!Files.exists(tmp.resolve("started"))) {
        assertTrue(child.isAlive(), "probe died before starting its fake container");
        Thread.sleep(20);
      }
      child.destroy(); // SIGTERM
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "probe did not exit");
    } finally {
      child.destroyForcibly();
    }
    assertEquals("docker rm -f nss-run-probe", Files.readString(tmp.resolve("removed")).strip());
  }

  /**
   * A signal to the whole process group (Ctrl-C, or a group kill) ends the CLI at once, while the engine may still be
   * creating the container: the hook must still run and must remove the container once it appears.
   */
  @Test
  void groupSignalWhileTheContainerIsCreatedRemovesItOnceItExists() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder("setsid", java, "-cp", System.getProperty("java.class.path"),
        AbortProbe.class.getName(), tmp.toString(), "in-flight").inheritIO().start();
    try {
      while (!Files.exists(tmp.resolve("started"))) {
        assertTrue(child.isAlive(), "probe died before starting its fake container");
        Thread.sleep(20);
      }
      Process kill = new ProcessBuilder("kill", "-TERM", "--", "-" + child.pid()).inheritIO().start();
      assertEquals(0, kill.waitFor());
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "probe did not exit");
    } finally {
      child.destroyForcibly();
    }
    while (!Files.exists(tmp.resolve("created"))) { // the fake engine's create lands whatever happened
      Thread.sleep(20);
    }
    assertTrue(Files.exists(tmp.resolve("removed")), "no rm -f succeeded: the container was left behind");
    assertEquals("docker rm -f nss-run-probe", Files.readString(tmp.resolve("removed")).strip());
    assertFalse(Files.exists(tmp.resolve("container")), "container left behind");
  }
}
