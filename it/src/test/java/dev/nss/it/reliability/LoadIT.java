package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.MavenBuild;
import dev.nss.it.SampleProject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, load: 20 {@code run-gpu} invocations in a row and 4 at once from the same project, each
 * asking the program for its own exit code (0 to 3): every Maven result carries its own code, every
 * container has its own name, and none is left behind.
 */
class LoadIT {

  @Test
  void twentyInARow() {
    SampleProject project = Rel.project("load-sequential");
    RelImage.runtime();
    Set<String> names = new HashSet<>();
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long start = System.nanoTime();
      BuildLog run =
          Rel.runGpu(project).property("nss.cmd", "load-" + i + " --exit=" + (i % 4)).run();
      millis.add((System.nanoTime() - start) / 1_000_000);
      assertOutcome(run, i, i % 4);
      assertTrue(names.add(run.containerName().orElseThrow()), "container names are distinct");
    }
    assertNoneLeft(names);
    millis.sort(null);
    Timings.note(
        "load: 20 run-gpu in a row, all codes right; median Maven invocation "
            + millis.get(10)
            + " ms");
  }

  @Test
  void fourInParallel() {
    SampleProject project = Rel.project("load-parallel");
    RelImage.runtime();
    List<MavenBuild.Running> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      running.add(
          Rel.runGpu(project)
              .property("nss.cmd", "load-" + i + " --exit=" + i + " --sleep=2")
              .start());
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      BuildLog run = running.get(i).await(300);
      assertOutcome(run, i, i);
      assertTrue(names.add(run.containerName().orElseThrow()), "container names are distinct");
    }
    assertNoneLeft(names);
    Timings.note("load: 4 run-gpu in parallel, all codes right, 4 distinct containers, none left");
  }

  static void assertOutcome(BuildLog run, int i, int code) {
    List<?> argv = (List<?>) run.report().get("argv");
    assertEquals(
        List.of("load-" + i, "--exit=" + code),
        argv.subList(0, 2),
        "run " + i + " got its own arguments");
    if (code == 0) {
      assertTrue(run.succeeded(), run::describe);
    } else {
      assertEquals(1, run.exitCode(), run::describe);
      assertTrue(
          ExitCodesIT.errorLines(run).matches("(?s).*\\bcode " + code + "\\b.*"), run::describe);
    }
  }

  static void assertNoneLeft(Set<String> names) {
    List<String> all = Rel.allContainerNames(null);
    for (String name : names) {
      assertFalse(all.contains(name), name + " is left behind");
    }
  }
}
