package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.SampleProject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9, item 6: {@code nss:shell} runs bash as the entrypoint with a terminal (here a
 * pseudo-terminal from {@code script}), the run's mounts and the invoking user; and refuses when
 * Maven has no terminal.
 */
class ShellIT {

  static List<String> engines() {
    return TinyImage.engines();
  }

  /** {@code -Dnss.it.shellRepeats=N}: the terminal case N times in a row (default 1). */
  static final int REPEATS = Integer.getInteger("nss.it.shellRepeats", 1);

  /** Beside busy loops on every core (a loaded CI machine), {@link #REPEATS} times. */
  @ParameterizedTest
  @MethodSource("engines")
  void bashRunsInATerminalWithTheProjectAndTheUsersUid(String cli) {
    SampleProject project = Rel.project("shell-" + TinyImage.shortName(cli));
    try (CpuBurner burner = new CpuBurner(CpuBurner.DEFAULT)) {
      for (int i = 0; i < REPEATS; i++) {
        bashRunsInATerminal(project, cli);
      }
      Timings.note(
          "shell ("
              + TinyImage.shortName(cli)
              + "): "
              + REPEATS
              + " in a row passed beside "
              + CpuBurner.DEFAULT
              + " busy loops; load average "
              + CpuBurner.loadAverage());
    }
  }

  private static void bashRunsInATerminal(SampleProject project, String cli) {
    List<String> mvn =
        project
            .maven("nss:shell")
            .property("nss.containerCli", cli)
            .property("nss.imageDev", TinyImage.on(cli))
            .property("nss.skipBuild", "true")
            .property("nss.gpuFlag", "")
            .property(
                "nss.cmd",
                "-c 'test -t 0 && echo tty=yes; echo uid=$(id -u); ls /workspace/pom.xml; exit 7'")
            .argv();
    // script(1) gives Maven a pseudo-terminal, as a user's terminal would; -e passes Maven's exit
    // code on.
    Rel.Result r =
        Rel.exec(
            List.of("script", "-qec", shellQuote(project.dir().toString(), mvn), "/dev/null"),
            Map.of("JAVA_HOME", System.getProperty("java.home"), "LANG", "C.UTF-8"),
            300);
    String out = r.out();
    assertEquals(1, r.exitCode(), "Maven fails with the shell's exit code in its message:\n" + out);
    assertTrue(out.contains("--interactive --tty"), out);
    assertTrue(out.contains("--entrypoint /bin/bash"), out);
    assertTrue(out.contains(" start --attach --interactive "), out);
    assertTrue(out.contains("tty=yes"), "bash's stdin is a terminal:\n" + out);
    assertTrue(out.contains("uid=" + new com.sun.security.auth.module.UnixSystem().getUid()), out);
    assertTrue(out.contains("/workspace/pom.xml"), out);
    assertTrue(out.contains("exited with code 7"), out);
  }

  @Test
  void withoutATerminalItRefusesBeforeAnyEngineCall() {
    SampleProject project = Rel.project("shell-no-terminal");
    BuildLog run = project.maven("nss:shell").property("nss.skipBuild", "true").run();
    assertFalse(run.succeeded(), run::describe);
    assertTrue(
        run.stdout().contains("nss.interactive: is false: nss:shell needs a terminal"),
        run::describe);
    assertFalse(run.stdout().contains(" create "), run::describe);
  }

  /**
   * One shell word per argument, for script -c (the only shell here: the test's, not the
   * product's).
   */
  static String shellQuote(String dir, List<String> argv) {
    StringBuilder sb = new StringBuilder("cd '" + dir + "' && exec");
    for (String a : argv) {
      sb.append(" '").append(a.replace("'", "'\\''")).append("'");
    }
    return sb.toString();
  }
}
