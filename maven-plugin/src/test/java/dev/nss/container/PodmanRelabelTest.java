package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman keeps a cached stage's old labels: a labelled build of a target stage is followed by a
 * one-step build FROM the result that carries the labels; nothing else is.
 */
class PodmanRelabelTest {

  @TempDir Path tmp;
  Fixture f;
  Path seen;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered(
        "docker", "/usr/bin/docker", "podman"); // the question before a build: EngineQuestionTest
    seen = tmp.resolve("seen-containerfile");
    f.processes.on(
        "build",
        "for a; do case \"$a\" in */Containerfile) cp \"$a\" '" + seen + "' ;; esac; done");
  }

  private GoalSettings labelled(String cli) {
    return f.settings().cli(cli).projectVersion("1.2.3").outputTimestamp("1700000000");
  }

  @Test
  void podmanTargetBuildIsRelabelledFromItsOwnResult() throws Exception {
    f.goals().buildGpu(labelled("podman"), false);

    assertEquals(2, f.processes.calls.size(), f.processes.calls.toString());
    List<String> relabel = f.processes.calls.get(1);
    Path dir = Path.of(relabel.get(relabel.size() - 1));
    assertEquals(
        List.of(
            "podman",
            "build",
            "--platform",
            "linux/amd64",
            "--tag",
            "nss-gpu:latest",
            "--label",
            "org.opencontainers.image.version=1.2.3",
            "--label",
            "org.opencontainers.image.created=2023-11-14T22:13:20Z",
            "-f",
            dir.resolve("Containerfile").toString(),
            dir.toString()),
        relabel);
    assertTrue(dir.getFileName().toString().startsWith("nss-relabel-"), dir.toString());
    assertEquals("FROM nss-gpu:latest\n", Files.readString(seen));
    assertFalse(Files.exists(dir), "the relabelling directory is removed: " + dir);
  }

  @Test
  void aFailedRelabelBuildFailsTheGoalAndRemovesItsDirectory() throws Exception {
    f.processes.on(
        "build",
        "for a; do case \"$a\" in */Containerfile) echo 'Error: no space left' >&2; exit 125 ;;"
            + " esac; done");
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class, () -> f.goals().buildGpu(labelled("podman"), false));
    assertEquals(125, e.exitCode());
    List<String> relabel = f.processes.calls.get(1);
    Path dir = Path.of(relabel.get(relabel.size() - 1));
    assertTrue(dir.getFileName().toString().startsWith("nss-relabel-"), dir.toString());
    assertFalse(Files.exists(dir), "the relabelling directory is removed: " + dir);
  }

  @Test
  void dockerTargetlessAndUnlabelledBuildsAreNotRelabelled() throws Exception {
    f.goals().buildGpu(labelled("docker"), false);
    f.goals().buildTest(labelled("podman"));
    f.goals().buildGpu(f.settings().cli("podman"), false); // no version, revision or timestamp

    assertEquals(3, f.processes.calls.size(), f.processes.calls.toString());
    assertFalse(Files.exists(seen));
  }

  @Test
  void dryRunShowsTheRelabelWithoutWritingIt() throws Exception {
    f.dryRun = true;
    f.goals().buildGpu(labelled("podman"), false);

    assertEquals(List.of(), f.processes.calls);
    assertTrue(
        f.log.stream().anyMatch(l -> l.contains("nss-relabel-XXXXXX/Containerfile")),
        f.log.toString());
  }
}
