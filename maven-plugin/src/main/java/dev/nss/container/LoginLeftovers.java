package dev.nss.container;

import dev.nss.core.FileTrees;
import dev.nss.engine.RunOwner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Registry login directories ({@link RegistrySession}) whose Maven was killed (SIGKILL, a CI
 * timeout) before it could delete them. Each directory names its owner in a file {@value #OWNER}:
 * the Maven process's PID and start time, boot id and host ({@link RunOwner}). Every goal sweeps
 * the directories of the temp directory whose owner is gone; it leaves alone a directory of another
 * user, one not mode 700, a symbolic link, one without a readable owner record, and one whose owner
 * may still run (the same PID and start time on this boot of this host).
 */
public final class LoginLeftovers {

  static final String PREFIX = "nss-registry-";
  static final String OWNER = "owner";

  /** An owner record is four short lines: anything longer was not written by {@link #claim}. */
  private static final long OWNER_MAX_BYTES = 1024;

  private LoginLeftovers() {}

  /** Writes the owner record of a fresh login directory: this JVM. */
  static void claim(Path dir) throws IOException {
    claim(dir, RunOwner.current());
  }

  static void claim(Path dir, RunOwner owner) throws IOException {
    Files.writeString(
        dir.resolve(OWNER), String.join("\n", owner.labels()) + "\n", StandardCharsets.UTF_8);
  }

  /**
   * Deletes the dead login directories in {@code java.io.tmpdir}, saying so on {@code log}; never
   * fails the goal.
   */
  public static void sweep(Consumer<String> log) {
    sweep(Path.of(System.getProperty("java.io.tmpdir")), RunOwner.current(), log);
  }

  /**
   * @param tmp where {@link RegistrySession} makes its directories
   * @param here this process, as an owner record would name it
   * @return the directories deleted
   */
  static List<Path> sweep(Path tmp, RunOwner here, Consumer<String> log) {
    List<Path> deleted = new ArrayList<>();
    UserPrincipal me;
    try {
      me =
          tmp.getFileSystem()
              .getUserPrincipalLookupService()
              .lookupPrincipalByName(System.getProperty("user.name"));
    } catch (IOException | UnsupportedOperationException e) {
      return deleted; // who "this user" is cannot be told: touch nothing
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
      for (Path dir : dirs) {
        Optional<RunOwner> owner = deadOwner(dir, me, here);
        if (owner.isPresent() && delete(dir, log)) {
          deleted.add(dir);
          log.accept(
              "Deleted the registry login directory "
                  + dir
                  + " of Maven process "
                  + owner.get().pid()
                  + ", which ended without deleting it.");
        }
      }
    } catch (IOException | RuntimeException e) {
      // An unreadable temp directory: nothing of ours can be found there.
    }
    return deleted;
  }

  /** The owner of {@code dir} when it is a login directory of this user whose owner is gone. */
  static Optional<RunOwner> deadOwner(Path dir, UserPrincipal me, RunOwner here) {
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
          || !me.equals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS))
          || !"rwx------"
              .equals(
                  PosixFilePermissions.toString(
                      Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)))) {
        return Optional.empty();
      }
      Path record = dir.resolve(OWNER);
      if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)
          || Files.size(record) > OWNER_MAX_BYTES) {
        return Optional.empty();
      }
      return parse(Files.readString(record, StandardCharsets.UTF_8))
          .filter(owner -> owner.isGoneAsSeenFrom(here));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static Optional<RunOwner> parse(String record) {
    Map<String, String> labels = new HashMap<>();
    for (String line : record.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        labels.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return RunOwner.fromLabels(labels);
  }

  private static boolean delete(Path dir, Consumer<String> log) {
    try {
      FileTrees.delete(dir); // links to the user's cli-plugins and buildx go, not their targets
      return true;
    } catch (NoSuchFileException e) {
      return false; // another goal swept it first
    } catch (IOException e) {
      log.accept(
          "Could not delete the registry login directory "
              + dir
              + " of a Maven process that has ended ("
              + e.getMessage()
              + "). Delete it yourself.");
      return false;
    }
  }
}
