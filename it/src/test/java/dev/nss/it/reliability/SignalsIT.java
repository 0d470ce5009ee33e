package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.MavenBuild;
import dev.nss.it.SampleProject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, signals. {@code docker stop} reaches the program itself (tini's child) and lets it shut
 * down cleanly; Ctrl-C (SIGINT to Maven's process group, as a terminal sends it) and a SIGINT to
 * Maven's JVM alone, during {@code run-gpu} and during {@code build-gpu}, end Maven and leave no
 * container (and no build step) behind. AbortIT covers SIGTERM to the JVM during run-gpu. Waits
 * here are hang guards, not timing assertions; the measured waits go to docs/reliability.md.
 */
class SignalsIT {

  private static final int SLOW = Rel.uniqueSeconds(1);
  private static final Pattern NAME =
      Pattern.compile("\\bcreate (?:--rm )?--name (nss-run-[0-9a-f]+)");

  @Test
  void dockerStopGivesTheProgramSigtermAndItShutsDownCleanly() {
    SampleProject project = Rel.useProg(Rel.project("signals-docker-stop"));
    MavenBuild.Running maven = Rel.runGpu(project).property("nss.cmd", "trap 0").start();
    try {
      String text = maven.awaitOutput(t -> t.contains("REL-PROG ready"), 180);
      String name = name(text);
      Matcher ready =
          Pattern.compile("REL-PROG ready pid=(\\d+) ppid=(\\d+) parent=(\\S+)").matcher(text);
      assertTrue(ready.find(), text);
      assertEquals("1", ready.group(2), "the program is PID 1's child");
      assertEquals("tini", ready.group(3));

      Rel.Result stop =
          Rel.docker("stop", name); // default stop timeout: 10 s, then SIGKILL (exit 137)
      assertEquals(0, stop.exitCode(), stop::describe);
      BuildLog run = maven.await(120);
      assertTrue(
          run.stdout().contains("REL-PROG got-signal-15 pid=" + ready.group(1) + " "),
          "the program itself (same PID) got SIGTERM:\n" + run.describe());
      assertTrue(
          run.succeeded(),
          "a clean shutdown (exit 0, not 137 after SIGKILL) is a success:\n" + run.describe());
      assertFalse(Rel.containerExists(name), name + " is left behind");
    } finally {
      maven.process().destroyForcibly();
    }
  }

  @Test
  void ctrlCDuringRunGpuEndsMavenAndRemovesTheContainer() {
    for (boolean group : List.of(true, false)) {
      SampleProject project = Rel.project("signals-run-" + (group ? "group" : "jvm"));
      MavenBuild.Running maven =
          Rel.runGpu(project).property("nss.cmd", "--sleep=600").ownSession().start();
      try {
        String name =
            name(
                maven.awaitOutput(
                    t -> t.contains("SAFE-SYNTHESIZER-REPORT") && NAME.matcher(t).find(), 180));
        assertTrue(Rel.containerExists(name));
        maven.signal("INT", group);
        BuildLog run = maven.await(120);
        Timings.record(
            "SIGINT to Maven's "
                + (group ? "process group" : "JVM")
                + " during run-gpu: Maven ended after",
            run.waitedMillis());
        assertNotEquals(0, run.exitCode(), run::describe);
        assertFalse(Rel.containerExists(name), name + " is left behind:\n" + run.describe());
        assertFalse(Rel.allContainerNames(null).contains(name), "docker ps -a");
      } finally {
        maven.process().destroyForcibly();
      }
    }
  }

  /**
   * The race the goals guard against: Ctrl-C while {@code docker run} is still creating the
   * container. The signal comes 0 to 800 ms after Maven logs the run command; whatever the moment,
   * once Maven has ended and the engine has settled, the container does not exist.
   */
  @Test
  void ctrlCAtAnyMomentOfContainerStartLeavesNoContainer() {
    SampleProject project = Rel.project("signals-race");
    RelImage.runtime();
    int[] delays = {0, 20, 50, 100, 200, 400, 800};
    int containerHadStarted = 0;
    for (int delay : delays) {
      MavenBuild.Running maven =
          Rel.runGpu(project).property("nss.cmd", "--sleep=600").ownSession().start();
      try {
        String name = name(maven.awaitOutput(t -> NAME.matcher(t).find(), 180));
        Rel.sleep(delay);
        maven.signal("INT", true);
        BuildLog run = maven.await(120);
        if (run.stdout().contains("SAFE-SYNTHESIZER-REPORT")) {
          containerHadStarted++;
        }
        for (int i = 0;
            i < 30 && Rel.containerExists(name);
            i++) { // let an in-flight create settle (hang guard)
          Rel.sleep(100);
        }
        Rel.sleep(1000); // a create still in flight would show up now
        assertFalse(
            Rel.containerExists(name),
            "Ctrl-C " + delay + " ms after the run command left " + name + ":\n" + run.describe());
      } finally {
        maven.process().destroyForcibly();
      }
    }
    Timings.note(
        "signals: Ctrl-C at "
            + delays.length
            + " moments 0-800 ms after the run command ("
            + containerHadStarted
            + " after the program had started): no container left");
  }

  @Test
  void ctrlCDuringBuildGpuEndsMavenAndTheBuildStep() throws IOException {
    for (boolean group : List.of(true, false)) {
      String nonce = Long.toHexString(System.nanoTime());
      SampleProject project = Rel.project("signals-build-" + (group ? "group" : "jvm"));
      Path dockerfile = project.dir().resolve("rel/Dockerfile.slow");
      Rel.write(
          dockerfile,
          """
          FROM nss-it.local/cuda:12.8.1-runtime-ubuntu22.04 AS runtime
          ARG REL_NONCE
          RUN echo "rel-slow-step $REL_NONCE" && sleep %d
          """
              .formatted(SLOW));
      project.buildArg("REL_NONCE", nonce);
      RelImage.standIns();
      List<String> before = Rel.allContainerNames(null);
      String tag = RelImage.remember("nss-it/rel:slow-" + nonce);
      MavenBuild.Running maven =
          project
              .maven("nss:build-gpu")
              .property("nss.image", tag)
              .property("nss.dockerfile", dockerfile.toString())
              .ownSession()
              .start();
      try {
        maven.awaitOutput(t -> t.contains("rel-slow-step " + nonce), 300);
        for (int i = 0; i < 300 && slowSteps().isEmpty(); i++) { // hang guard
          Rel.sleep(100);
        }
        assertFalse(slowSteps().isEmpty(), "the build step runs (its `sleep` process)");
        maven.signal("INT", group);
        BuildLog run = maven.await(120);
        Timings.record(
            "SIGINT to Maven's "
                + (group ? "process group" : "JVM")
                + " during build-gpu: Maven ended after",
            run.waitedMillis());
        assertNotEquals(0, run.exitCode(), run::describe);
        assertFalse(Rel.docker("image", "inspect", tag).exitCode() == 0, "no image was tagged");
        for (int i = 0;
            i < 600 && !slowSteps().isEmpty();
            i++) { // hang guard: BuildKit cancels the step
          Rel.sleep(100);
        }
        assertEquals(List.of(), slowSteps(), "the cancelled build step still runs");
        List<String> after = new ArrayList<>(Rel.allContainerNames(null));
        after.removeAll(before);
        assertEquals(
            List.of(), after.stream().filter(n -> n.contains(nonce)).toList(), "docker ps -a");
      } finally {
        maven.process().destroyForcibly();
      }
    }
  }

  /**
   * PIDs of host processes of the slow build step: its {@code sleep} and the shell that runs it.
   */
  static List<Long> slowSteps() {
    return Rel.processes(c -> c.equals("sleep\0" + SLOW + "\0") || c.contains("&& sleep " + SLOW));
  }

  static String name(String log) {
    Matcher m = NAME.matcher(log);
    assertTrue(m.find(), "no --name in:\n" + log);
    return m.group(1);
  }
}
