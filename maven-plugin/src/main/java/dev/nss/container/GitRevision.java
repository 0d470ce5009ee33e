package dev.nss.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the commit checked out in a git working tree from the files under .git, without running
 * git.
 */
public final class GitRevision {

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}(?:[0-9a-f]{24})?");

  private GitRevision() {}

  /** The HEAD commit of the checkout containing {@code dir} (searched upwards), if any. */
  public static Optional<String> of(Path dir) {
    try {
      for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
        Path dotGit = d.resolve(".git");
        if (Files.isDirectory(dotGit)) {
          return head(dotGit);
        }
        if (Files.isRegularFile(dotGit)) { // worktree or submodule: "gitdir: <path>"
          String line = firstLine(dotGit);
          if (line.startsWith("gitdir:")) {
            return head(d.resolve(line.substring("gitdir:".length()).strip()).normalize());
          }
          return Optional.empty();
        }
      }
    } catch (IOException | RuntimeException e) {
      // An unreadable or odd repository just means no revision label.
    }
    return Optional.empty();
  }

  private static Optional<String> head(Path gitDir) throws IOException {
    String head = firstLine(gitDir.resolve("HEAD"));
    if (SHA.matcher(head).matches()) {
      return Optional.of(head);
    }
    if (!head.startsWith("ref:")) {
      return Optional.empty();
    }
    String ref = head.substring("ref:".length()).strip();
    Path commonDir = gitDir;
    Path commonDirFile = gitDir.resolve("commondir");
    if (Files.isRegularFile(commonDirFile)) {
      commonDir = gitDir.resolve(firstLine(commonDirFile)).normalize();
    }
    for (Path base : List.of(gitDir, commonDir)) {
      Path loose = base.resolve(ref);
      if (Files.isRegularFile(loose)) {
        String sha = firstLine(loose);
        return SHA.matcher(sha).matches() ? Optional.of(sha) : Optional.empty();
      }
    }
    Path packed = commonDir.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
        String[] parts = line.split(" ", 2);
        if (parts.length == 2 && parts[1].strip().equals(ref) && SHA.matcher(parts[0]).matches()) {
          return Optional.of(parts[0]);
        }
      }
    }
    return Optional.empty(); // a branch with no commits yet
  }

  private static String firstLine(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.isEmpty() ? "" : lines.get(0).strip();
  }
}
