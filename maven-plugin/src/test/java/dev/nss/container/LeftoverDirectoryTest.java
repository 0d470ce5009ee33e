package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory the goal made and cannot remove afterwards (e.g. files a container wrote as another
 * user) is named in the log; the goal does not fail for it. Here the build leaves a tree deeper
 * than the longest path the JVM can open (PATH_MAX), which no privilege lets it delete.
 */
class LeftoverDirectoryTest {

  /** Makes a tree under the directory in $1 whose deepest path exceeds 4096 bytes. */
  private static final String DEEP_TREE =
      "c=$(printf '%0200d' 0); p=$c; for i in $(seq 1 24); do p=\"$p/$c\"; done;"
          + " mkdir -p \"$1/$p\"";

  @TempDir Path tmp;
  Fixture f;
  Path leftover;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered(
        "docker", "/usr/bin/docker", "podman"); // the question before a build: EngineQuestionTest
  }

  /** rm removes deep trees (it descends relative to each directory), so @TempDir can clean up. */
  @AfterEach
  void removeLeftover() throws IOException, InterruptedException {
    if (leftover != null) {
      assertEquals(0, new ProcessBuilder("rm", "-rf", leftover.toString()).start().waitFor());
    }
  }

  @Test
  void aStagingDirectoryThatCannotBeRemovedIsNamed() throws Exception {
    leftover = f.project.resolve(AgentStager.STAGING_DIR);
    f.processes.on("build", "set -- \"$(eval echo \\${$#})/.nss-build\"; " + DEEP_TREE);

    f.goals().buildGpu(f.settings(), false);

    assertTrue(
        f.log.stream().anyMatch(l -> l.startsWith("Could not remove " + leftover + ": ")),
        f.log.toString());
  }

  @Test
  void aRelabellingDirectoryThatCannotBeRemovedIsNamed() throws Exception {
    f.processes.on(
        "build",
        "for a; do case \"$a\" in */Containerfile) set -- \"$(dirname \"$a\")\"; "
            + DEEP_TREE
            + "; exit ;; esac; done");

    try {
      f.goals()
          .buildGpu(
              f.settings().cli("podman").projectVersion("1.2.3").outputTimestamp("1700000000"),
              false);
    } finally {
      List<String> relabel = f.processes.calls.get(f.processes.calls.size() - 1);
      leftover = Path.of(relabel.get(relabel.size() - 1));
    }

    assertEquals(2, f.processes.calls.size(), f.processes.calls.toString());
    assertTrue(
        f.log.stream().anyMatch(l -> l.startsWith("Could not remove " + leftover + ": ")),
        f.log.toString());
  }
}
