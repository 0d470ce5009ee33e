package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.Engine;
import dev.nss.it.MavenBuild;
import dev.nss.it.SampleProject;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * An engine that never answers fails each goal within {@code nss.engineTimeout}, naming the command
 * and the setting: a private dockerd stopped with SIGSTOP (its socket accepts, nothing answers),
 * container CLI stand-ins that sleep (named {@code docker} and {@code podman}, so the goals treat
 * them as those engines) and a podman store whose lock is held. The limit is 3 s here; each Maven
 * run is bounded by a hang guard only.
 */
class WedgedEngineIT {

  private static final String LIMIT = "3";
  private static final int SLEEP = Rel.uniqueSeconds(6);

  /**
   * The error names {@code cli}'s command {@code verb} that did not answer, and the setting. (The
   * question whether docker is rootless, asked first for {@code nss.user=auto}, is answered "no"
   * only when the engine said so; one that does not answer fails the goal there.)
   */
  private static void assertNamesTheCommandAndTheSetting(BuildLog run, String cli, String verb) {
    String error = ExitCodesIT.errorLines(run);
    assertFalse(run.succeeded(), run::describe);
    assertTrue(
        error.contains("`" + cli + " " + verb + "` did not answer within " + LIMIT + " s"),
        "names `" + cli + " " + verb + "`:\n" + run.describe());
    assertTrue(error.contains("-Dnss.engineTimeout=SECONDS"), run::describe);
    assertEquals(List.of(), run.stackTraceLines(), run::describe);
  }

  /**
   * A goal on the stopped dockerd and the command it fails at: the run goals at {@code info}
   * (whether docker is rootless, asked in planning), push-gpu and the builds at {@code image} (the
   * local image; the base image's digest), build-gpu-multiarch, which asks nothing before its first
   * build, at the question {@code version}.
   */
  private record Case(String goal, String verb, Map<String, String> properties) {}

  private static final List<Case> STOPPED_DOCKERD =
      List.of(
          new Case("nss:run-gpu", "info", Map.of("nss.skipBuild", "true")),
          new Case("nss:test-ci", "info", Map.of("nss.skipBuild", "true")),
          new Case("nss:push-gpu", "image", Map.of("nss.registry", "127.0.0.1:9/nss")),
          new Case("nss:build-gpu", "image", Map.of()),
          new Case("nss:build-test", "version", Map.of("nss.testDockerfile", "Dockerfile.scratch")),
          new Case(
              "nss:build-gpu-multiarch",
              "buildx",
              Map.of("nss.registry", "127.0.0.1:9/nss", "nss.platforms", "linux/amd64")));

  @Test
  void aStoppedDockerdFailsEveryGoalWithinTheLimit() throws Exception {
    try (PrivateEngine engine = new PrivateEngine().start()) {
      engine.importBusybox();
      SampleProject project = Rel.project("wedged-dockerd");
      Files.writeString(project.dir().resolve("Dockerfile.scratch"), "FROM scratch\n");
      engine.signal("STOP");
      try {
        for (Case c : STOPPED_DOCKERD) {
          MavenBuild maven =
              project
                  .maven(c.goal())
                  .property("nss.containerCli", Rel.DOCKER)
                  .property("nss.image", PrivateEngine.BUSYBOX)
                  .property("nss.testImage", PrivateEngine.BUSYBOX)
                  .property("nss.gpuFlag", "")
                  .property("nss.engineTimeout", LIMIT)
                  .env("DOCKER_HOST", engine.host);
          c.properties().forEach(maven::property);
          BuildLog run = maven.start().await(180);
          assertNamesTheCommandAndTheSetting(run, Rel.DOCKER, c.verb());
          Timings.record(
              "wedged engine (SIGSTOPped dockerd), " + c.goal() + ": Maven failed after",
              run.waitedMillis());
        }
      } finally {
        engine.signal("CONT");
      }
    }
  }

  /**
   * A stand-in that never answers, its name telling the goal the engine: {@code docker} run-gpu
   * with {@code nss.skipBuild} fails at {@code info}, without it at the base image's {@code image
   * inspect}; {@code podman} build-gpu-multiarch asks first whether an earlier list is there
   * ({@code manifest rm}, a probe whose failure is no error), and its build then fails at once,
   * naming that probe, instead of asking again for a second limit.
   */
  @Test
  void aCliThatNeverAnswersFailsTheGoalsWithinTheLimit() throws Exception {
    SampleProject project = Rel.project("wedged-cli");
    List<List<String>> cases =
        List.of(
            List.of("docker", "nss:run-gpu", "true", "info"),
            List.of("docker", "nss:run-gpu", "false", "image"),
            List.of("podman", "nss:build-gpu-multiarch", "false", "manifest"));
    for (List<String> c : cases) {
      Path bin = Files.createDirectories(Rel.work().resolve("wedged-cli-" + c.get(0)));
      Path cli = bin.resolve(c.get(0));
      Files.writeString(cli, "#!/bin/sh\nexec sleep " + SLEEP + "\n");
      assertTrue(cli.toFile().setExecutable(true));
      MavenBuild.Running maven =
          project
              .maven(c.get(1))
              .property("nss.containerCli", cli.toString())
              .property("nss.skipBuild", c.get(2))
              .property("nss.gpuFlag", "")
              .property("nss.registry", "127.0.0.1:9/nss")
              .property("nss.platforms", "linux/amd64")
              .property("nss.engineTimeout", LIMIT)
              .start();
      BuildLog run = maven.await(180);
      assertNamesTheCommandAndTheSetting(run, cli.toString(), c.get(3));
      for (int i = 0; i < 100 && !PrivateEngine.sleeping(SLEEP).isEmpty(); i++) {
        Rel.sleep(100); // hang guard: the stopped stand-in is gone
      }
      assertEquals(List.of(), PrivateEngine.sleeping(SLEEP), "the stand-in was ended");
      Timings.record(
          "wedged CLI stand-in "
              + c.get(0)
              + ", "
              + c.get(1)
              + " (skipBuild "
              + c.get(2)
              + "): Maven failed after",
          run.waitedMillis());
    }
  }

  /**
   * Podman has no daemon to stop: it hangs when another podman process holds a lock of its store
   * and never lets go. Here a private store ({@code CONTAINERS_STORAGE_CONF}, and {@code
   * CONTAINERS_CONF} for a temporary directory of its own) whose layer lock this JVM holds:
   * build-test's inspect of its base image answers (a missing image needs no layer lock), the
   * question before the build ({@code podman version}, which takes every lock of the store) does
   * not.
   */
  @Test
  void aHeldLockOfPodmansStoreFailsTheBuildWithinTheLimit() throws Exception {
    Assumptions.assumeTrue(Engine.selected().contains(Engine.PODMAN), "podman not selected");
    Engine.PODMAN.require();
    Path store = Files.createDirectories(Rel.work().resolve("wedged-podman-store"));
    Path conf = store.resolve("storage.conf");
    Files.writeString(
        conf,
        "[storage]\ndriver = \"overlay\"\ngraphroot = \""
            + store.resolve("graph")
            + "\"\nrunroot = \""
            + store.resolve("run")
            + "\"\n");
    Path engineConf = store.resolve("containers.conf"); // its own tmp_dir: not the shared one
    Files.writeString(engineConf, "[engine]\ntmp_dir = \"" + store.resolve("tmp") + "\"\n");
    Map<String, String> env =
        Map.of(
            "CONTAINERS_STORAGE_CONF", conf.toString(), "CONTAINERS_CONF", engineConf.toString());
    Rel.Result init = Rel.exec(List.of(Engine.PODMAN.cli(), "version"), env, 120);
    assertEquals(0, init.exitCode(), init::describe);
    SampleProject project = Rel.project("wedged-podman");
    Path lock = store.resolve("graph/overlay-layers/layers.lock");
    BuildLog run;
    try (FileChannel channel =
            FileChannel.open(lock, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      run =
          project
              .maven("nss:build-test")
              .property("nss.containerCli", Engine.PODMAN.cli())
              .property("nss.engineTimeout", LIMIT)
              .env("CONTAINERS_STORAGE_CONF", conf.toString())
              .env("CONTAINERS_CONF", engineConf.toString())
              .start()
              .await(180);
    }
    assertNamesTheCommandAndTheSetting(run, Engine.PODMAN.cli(), "version");
    Timings.record(
        "wedged podman store (layer lock held), nss:build-test: Maven failed after",
        run.waitedMillis());
    PrivateEngine.sh( // podman mounted the store's overlay directory on itself
        "grep ' "
            + store
            + "' /proc/mounts | cut -d' ' -f2 | sort -r | while read m; do umount -l \"$m\"; done;"
            + " rm -rf "
            + store);
  }
}
