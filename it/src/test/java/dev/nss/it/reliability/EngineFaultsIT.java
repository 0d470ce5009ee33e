package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.MavenBuild;
import dev.nss.it.SampleProject;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, engine faults. The engine is down before the goal (a socket nobody listens on), or dies
 * (SIGKILL) or is stopped (SIGTERM) in the middle of a build or a run: Maven fails clearly within a
 * bounded wait, and once the engine is back no container of ours is left. The faults hit a private
 * dockerd ({@link PrivateEngine}), never the machine's. FailureIT.case10 covers build-gpu against a
 * socket path that does not exist.
 */
class EngineFaultsIT {

  private static final int RUN_SLEEP = Rel.uniqueSeconds(2);
  private static final int BUILD_SLEEP = Rel.uniqueSeconds(3);

  @Test
  void engineDownBeforeTheGoal() throws Exception {
    SampleProject project = Rel.project("engine-down");
    Path dead = Rel.work().resolve("dead.sock");
    java.nio.file.Files.deleteIfExists(dead);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(
          UnixDomainSocketAddress.of(dead)); // closed at once: the file stays, nobody listens
    }
    String dockerHost = "unix://" + dead;
    for (boolean skipBuild : List.of(false, true)) {
      BuildLog run =
          project
              .maven("nss:run-gpu")
              .property("nss.image", "nss-it/rel:never")
              .property("nss.skipBuild", Boolean.toString(skipBuild))
              .property("nss.gpuFlag", "")
              .env("DOCKER_HOST", dockerHost)
              .run();
      String what = skipBuild ? "run" : "build";
      assertFalse(run.succeeded(), run::describe);
      assertTrue(
          ExitCodesIT.errorLines(run).contains("DOCKER_HOST=" + dockerHost),
          what + ": the message names DOCKER_HOST:\n" + run.describe());
      assertEquals(List.of(), run.stackTraceLines(), run::describe);
      Timings.record(
          "engine down before run-gpu (" + what + "): Maven failed after", run.waitedMillis());
    }
  }

  @Test
  void engineKilledOrStoppedDuringARun() {
    for (String signal : List.of("KILL", "TERM")) {
      try (PrivateEngine engine = new PrivateEngine().start()) {
        engine.importBusybox();
        SampleProject project = Rel.project("engine-run-" + signal);
        MavenBuild.Running maven =
            project
                .maven("nss:run-gpu")
                .property("nss.image", PrivateEngine.BUSYBOX)
                .property("nss.skipBuild", "true")
                .property("nss.gpuFlag", "")
                .property("nss.cmd", Integer.toString(RUN_SLEEP))
                .env("DOCKER_HOST", engine.host)
                .start();
        try {
          String name =
              SignalsIT.name(maven.awaitOutput(t -> t.contains(" create --rm --name "), 120));
          for (int i = 0;
              i < 600 && PrivateEngine.sleeping(RUN_SLEEP).isEmpty();
              i++) { // hang guard
            Rel.sleep(100);
          }
          assertFalse(PrivateEngine.sleeping(RUN_SLEEP).isEmpty(), "the container runs");
          engine.kill(signal);
          BuildLog run = maven.await(180);
          assertNotEquals(0, run.exitCode(), run::describe);
          assertEquals(List.of(), run.stackTraceLines(), run::describe);
          boolean orphan = !PrivateEngine.sleeping(RUN_SLEEP).isEmpty();
          String error = ExitCodesIT.errorLines(run);
          if (signal.equals("KILL")) {
            assertTrue(
                error.contains(
                    "Lost the connection to the container engine while container " + name),
                "the message tells the engine went away:\n" + run.describe());
            assertTrue(
                error.contains("rm -f " + name),
                "and how to remove the container:\n" + run.describe());
          } else {
            assertTrue(
                error.matches("(?s).*\\bcode 137\\b.*"),
                "the engine stopped the container:\n" + run.describe());
          }
          Timings.record(
              "engine SIG" + signal + " during run-gpu: Maven failed after", run.waitedMillis());
          Timings.note(
              "engine SIG"
                  + signal
                  + " during run-gpu: container process alive while the engine is down: "
                  + orphan
                  + "; Maven said: "
                  + firstError(run));

          engine.start();
          for (int i = 0;
              i < 300 && engine.docker("ps", "-a", "--format", "{{.Names}}").out().contains(name);
              i++) {
            Rel.sleep(100); // hang guard: the engine removes --rm containers while it restores
          }
          assertEquals(
              "",
              engine.docker("ps", "-a", "--format", "{{.Names}}").out().strip(),
              "containers left after the engine came back");
          for (int i = 0; i < 300 && !PrivateEngine.sleeping(RUN_SLEEP).isEmpty(); i++) {
            Rel.sleep(100);
          }
          assertEquals(
              List.of(),
              PrivateEngine.sleeping(RUN_SLEEP),
              "the container's process after the engine came back");
        } finally {
          maven.process().destroyForcibly();
        }
      }
    }
  }

  @Test
  void engineKilledOrStoppedDuringABuild() {
    for (String signal : List.of("KILL", "TERM")) {
      engineGoneDuringABuild(signal);
    }
  }

  private static void engineGoneDuringABuild(String signal) {
    try (PrivateEngine engine = new PrivateEngine().start()) {
      engine.importBusybox();
      String nonce = Long.toHexString(System.nanoTime());
      SampleProject project = Rel.project("engine-build-" + signal).buildArg("REL_NONCE", nonce);
      Path dockerfile = project.dir().resolve("rel/Dockerfile.slow");
      Rel.write(
          dockerfile,
          """
          FROM %s AS runtime
          ARG REL_NONCE
          RUN echo "rel-slow-step $REL_NONCE" && sleep %d
          """
              .formatted(PrivateEngine.BUSYBOX, BUILD_SLEEP));
      String tag = "nss-rel/slow:" + nonce;
      MavenBuild.Running maven =
          project
              .maven("nss:build-gpu")
              .property("nss.image", tag)
              .property("nss.dockerfile", dockerfile.toString())
              .env("DOCKER_HOST", engine.host)
              .start();
      try {
        maven.awaitOutput(t -> t.contains("rel-slow-step " + nonce), 180);
        for (int i = 0;
            i < 600 && PrivateEngine.sleeping(BUILD_SLEEP).isEmpty();
            i++) { // hang guard
          Rel.sleep(100);
        }
        assertFalse(PrivateEngine.sleeping(BUILD_SLEEP).isEmpty(), "the build step runs");
        engine.kill(signal);
        BuildLog run = maven.await(180);
        assertNotEquals(0, run.exitCode(), run::describe);
        assertEquals(List.of(), run.stackTraceLines(), run::describe);
        boolean orphan = !PrivateEngine.sleeping(BUILD_SLEEP).isEmpty();
        if (signal.equals("KILL")) {
          assertTrue(
              ExitCodesIT.errorLines(run)
                  .contains("Lost the connection to the container engine while `"),
              "the message tells the engine went away:\n" + run.describe());
        }
        Timings.record(
            "engine SIG" + signal + " during build-gpu: Maven failed after", run.waitedMillis());
        Timings.note(
            "engine SIG"
                + signal
                + " during build-gpu: build step alive while the engine is down: "
                + orphan
                + "; Maven said: "
                + firstError(run));

        engine.start();
        assertEquals(
            "", engine.docker("ps", "-a", "--format", "{{.Names}}").out().strip(), "docker ps -a");
        assertNotEquals(
            0, engine.docker("image", "inspect", tag).exitCode(), "no image was tagged");
        for (int i = 0; i < 50 && !PrivateEngine.sleeping(BUILD_SLEEP).isEmpty(); i++) {
          Rel.sleep(100);
        }
        Timings.note(
            "engine SIG"
                + signal
                + " during build-gpu: build step process still alive 5 s after the engine "
                + "came back: "
                + !PrivateEngine.sleeping(BUILD_SLEEP).isEmpty());
      } finally {
        maven.process().destroyForcibly();
        PrivateEngine.sleeping(BUILD_SLEEP)
            .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      }
    }
  }

  static String firstError(BuildLog run) {
    return run.stdout()
        .lines()
        .filter(l -> l.startsWith("[ERROR] Failed to execute goal"))
        .findFirst()
        .map(l -> l.replaceFirst(".*?: (?=[A-Z`])", ""))
        .orElse("(no [ERROR] line)");
  }
}
