package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.MavenBuild;
import dev.nss.it.SampleProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An engine that never answers fails each goal within {@code nss.engineTimeout}, naming the command
 * and the setting: a private dockerd stopped with SIGSTOP (its socket accepts, nothing answers),
 * and a container CLI stand-in that sleeps (named {@code docker}, so the goals treat it as docker).
 * The limit is 3 s here; each Maven run is bounded by a hang guard only.
 */
class WedgedEngineIT {

  private static final String LIMIT = "3";
  private static final int SLEEP = Rel.uniqueSeconds(6);

  /**
   * The error names a command of {@code cli} that did not answer. (The question whether docker is
   * rootless, asked first for {@code nss.user=auto}, is answered "no" when it fails; the next query
   * then fails the goal: at most twice the limit.)
   */
  private static void assertNamesTheCommandAndTheSetting(BuildLog run, String cli) {
    String error = ExitCodesIT.errorLines(run);
    assertFalse(run.succeeded(), run::describe);
    assertTrue(
        java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(cli)
                    + " (info|image)` did not answer within "
                    + LIMIT
                    + " s")
            .matcher(error)
            .find(),
        "names a `" + cli + "` command:\n" + run.describe());
    assertTrue(error.contains("-Dnss.engineTimeout=SECONDS"), run::describe);
    assertEquals(List.of(), run.stackTraceLines(), run::describe);
  }

  @Test
  void aStoppedDockerdFailsTheRunGoalsWithinTheLimit() {
    try (PrivateEngine engine = new PrivateEngine().start()) {
      engine.importBusybox();
      SampleProject project = Rel.project("wedged-dockerd");
      engine.signal("STOP");
      try {
        for (String goal : List.of("nss:run-gpu", "nss:test-ci")) {
          BuildLog run =
              project
                  .maven(goal)
                  .property("nss.containerCli", Rel.DOCKER)
                  .property("nss.image", PrivateEngine.BUSYBOX)
                  .property("nss.testImage", PrivateEngine.BUSYBOX)
                  .property("nss.skipBuild", "true")
                  .property("nss.gpuFlag", "")
                  .property("nss.engineTimeout", LIMIT)
                  .env("DOCKER_HOST", engine.host)
                  .start()
                  .await(180);
          // root on rootful docker asks `docker info` first (nss.user=auto)
          assertNamesTheCommandAndTheSetting(run, Rel.DOCKER);
          Timings.record(
              "wedged engine (SIGSTOPped dockerd), " + goal + ": Maven failed after",
              run.waitedMillis());
        }
        BuildLog push =
            project
                .maven("nss:push-gpu")
                .property("nss.containerCli", Rel.DOCKER)
                .property("nss.image", PrivateEngine.BUSYBOX)
                .property("nss.registry", "127.0.0.1:9/nss")
                .property("nss.engineTimeout", LIMIT)
                .env("DOCKER_HOST", engine.host)
                .start()
                .await(180);
        assertNamesTheCommandAndTheSetting(push, Rel.DOCKER);
        Timings.record(
            "wedged engine (SIGSTOPped dockerd), nss:push-gpu: Maven failed after",
            push.waitedMillis());
      } finally {
        engine.signal("CONT");
      }
    }
  }

  @Test
  void aCliThatNeverAnswersFailsTheRunGoalsWithinTheLimit() throws Exception {
    Path bin = Files.createDirectories(Rel.work().resolve("wedged-cli-bin"));
    Path cli = bin.resolve("docker");
    Files.writeString(cli, "#!/bin/sh\nexec sleep " + SLEEP + "\n");
    assertTrue(cli.toFile().setExecutable(true));
    SampleProject project = Rel.project("wedged-cli");
    for (boolean skipBuild : List.of(true, false)) {
      MavenBuild.Running maven =
          project
              .maven("nss:run-gpu")
              .property("nss.containerCli", cli.toString())
              .property("nss.skipBuild", Boolean.toString(skipBuild))
              .property("nss.gpuFlag", "")
              .property("nss.engineTimeout", LIMIT)
              .start();
      BuildLog run = maven.await(180);
      assertNamesTheCommandAndTheSetting(run, cli.toString());
      for (int i = 0; i < 100 && !PrivateEngine.sleeping(SLEEP).isEmpty(); i++) {
        Rel.sleep(100); // hang guard: the stopped stand-in is gone
      }
      assertEquals(List.of(), PrivateEngine.sleeping(SLEEP), "the stand-in was ended");
      Timings.record(
          "wedged CLI stand-in, run-gpu (skipBuild " + skipBuild + "): Maven failed after",
          run.waitedMillis());
    }
  }
}
