package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.SampleProject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, exit codes: the code chosen by the program (or by the agent, or by the signal that
 * killed the program) travels plugin → docker → tini → agent → program and back into Maven's result
 * and message unchanged. RunGpuIT.case04 covers code 3 once; this row tries every code of the
 * matrix.
 */
class ExitCodesIT {

  @Test
  void programExitCodesReachMaven() {
    SampleProject project = Rel.project("exit-codes");
    for (int code : List.of(0, 1, 3, 126, 127)) {
      BuildLog run = Rel.runGpu(project).property("nss.cmd", "--exit=" + code).run();
      assertEquals(
          List.of("--exit=" + code),
          run.report().get("argv"),
          "the program itself ran:\n" + run.describe());
      assertNoContainerLeft(run);
      if (code == 0) {
        assertTrue(run.succeeded(), run::describe);
        continue;
      }
      assertEquals(1, run.exitCode(), "Maven's own exit code on failure:\n" + run.describe());
      assertTrue(run.stdout().contains("BUILD FAILURE"), run::describe);
      assertTrue(
          errorLines(run).matches("(?s).*\\bcode " + code + "\\b.*"),
          "the [ERROR] message names code " + code + ":\n" + run.describe());
    }
  }

  @Test
  void agentExitCodesReachMavenWithTheAgentsReason() {
    SampleProject project = Rel.project("exit-codes-agent");
    BuildLog missing =
        Rel.runGpu(project)
            .property("nss.cmd", "generate")
            .property("nss.extraMounts", "-e NSS_ENTRYPOINT_TARGET=/workspace/rel/absent")
            .run();
    assertFalse(missing.succeeded(), missing::describe);
    assertTrue(errorLines(missing).matches("(?s).*\\bcode 127\\b.*"), missing::describe);
    assertTrue(
        missing.stderr().contains("/workspace/rel/absent does not exist"),
        "the agent says why:\n" + missing.describe());
    assertNoContainerLeft(missing);

    BuildLog notExecutable =
        Rel.runGpu(project)
            .property("nss.cmd", "generate")
            .property("nss.extraMounts", "-e NSS_ENTRYPOINT_TARGET=/workspace/pom.xml")
            .run();
    assertFalse(notExecutable.succeeded(), notExecutable::describe);
    assertTrue(
        errorLines(notExecutable).matches("(?s).*\\bcode 126\\b.*"), notExecutable::describe);
    assertTrue(
        notExecutable.stderr().contains("/workspace/pom.xml is not an executable file"),
        "the agent says why:\n" + notExecutable.describe());
    assertNoContainerLeft(notExecutable);
  }

  @Test
  void deathBySignalIs128PlusTheSignal() {
    SampleProject project = Rel.useProg(Rel.project("exit-codes-signal"));
    for (String[] c : new String[][] {{"TERM", "143", "15"}, {"INT", "130", "2"}}) {
      String signalWords = "signal " + c[2] + " (SIG" + c[0];
      BuildLog run = Rel.runGpu(project).property("nss.cmd", "kill-self " + c[0]).run();
      assertTrue(
          run.stdout().contains("REL-PROG dying-by-SIG" + c[0]),
          "the program ran:\n" + run.describe());
      assertTrue(
          run.stdout()
              .matches("(?s).*REL-PROG dying-by-SIG" + c[0] + " pid=\\d+ ppid=1 parent=tini.*"),
          "the program is tini's child:\n" + run.describe());
      assertFalse(run.succeeded(), run::describe);
      assertTrue(
          errorLines(run).matches("(?s).*\\bcode " + c[1] + "\\b.*"),
          "the [ERROR] message names code " + c[1] + ":\n" + run.describe());
      assertTrue(
          errorLines(run).contains(signalWords),
          "and says " + signalWords + "):\n" + run.describe());
      assertNoContainerLeft(run);
    }
  }

  static String errorLines(BuildLog run) {
    return String.join("\n", run.stdout().lines().filter(l -> l.startsWith("[ERROR]")).toList());
  }

  static void assertNoContainerLeft(BuildLog run) {
    String name = run.containerName().orElseThrow();
    assertFalse(Rel.containerExists(name), "container " + name + " is left behind");
  }
}
