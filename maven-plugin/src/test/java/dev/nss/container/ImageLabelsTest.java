package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLabelsTest {

  @TempDir Path tmp;
  static final String SHA = "89abcdef0123456789abcdef0123456789abcdef";

  @Test
  void noGitNoTimestamp() throws Exception {
    assertEquals(Map.of(ImageLabels.VERSION, "1.0"), ImageLabels.of("1.0", tmp, null));
    assertEquals(
        Map.of(ImageLabels.VERSION, "1.0"),
        ImageLabels.of("1.0", tmp, "1"),
        "one character means unset");
  }

  @Test
  void createdAcceptsIsoWithOffsetAndEpochSeconds() throws Exception {
    assertEquals(
        "2026-11-25T00:00:00Z", ImageLabels.created("2026-11-25T01:00:00+01:00").toString());
    assertEquals("1970-01-01T00:00:10Z", ImageLabels.created("10").toString());
  }

  @Test
  void revisionFromLoosePackedAndDetachedHeads() throws Exception {
    Path git = Files.createDirectories(tmp.resolve(".git"));
    Path sub = Files.createDirectories(tmp.resolve("examples/quickstart"));
    Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
    Files.writeString(
        git.resolve("packed-refs"), "# pack-refs with: peeled\n" + SHA + " refs/heads/main\n");
    assertEquals(
        Optional.of(SHA), GitRevision.of(sub), "found from a subdirectory through packed-refs");
    Files.writeString(git.resolve("HEAD"), SHA + "\n");
    assertEquals(Optional.of(SHA), GitRevision.of(tmp));
    Files.writeString(git.resolve("HEAD"), "ref: refs/heads/empty\n");
    assertTrue(GitRevision.of(tmp).isEmpty(), "unborn branch");
  }

  @Test
  void worktreeGitFile() throws Exception {
    Path common = Files.createDirectories(tmp.resolve("repo/.git"));
    Path wt = Files.createDirectories(common.resolve("worktrees/wt"));
    Files.writeString(wt.resolve("HEAD"), "ref: refs/heads/feature\n");
    Files.writeString(wt.resolve("commondir"), "../..\n");
    Files.createDirectories(common.resolve("refs/heads"));
    Files.writeString(common.resolve("refs/heads/feature"), SHA + "\n");
    Path checkout = Files.createDirectories(tmp.resolve("wt"));
    Files.writeString(checkout.resolve(".git"), "gitdir: " + wt + "\n");
    assertEquals(Optional.of(SHA), GitRevision.of(checkout));
  }

  @Test
  void thisRepositorysHeadMatchesGit() throws Exception {
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
    String expected = new String(git.getInputStream().readAllBytes()).strip();
    if (git.waitFor() == 0) {
      assertEquals(Optional.of(expected), GitRevision.of(Path.of("")));
    }
  }
}
