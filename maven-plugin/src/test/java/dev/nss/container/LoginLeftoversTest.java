package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nss.engine.RunOwner;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeping the login directories of killed Mavens, on real directories. */
class LoginLeftoversTest {

  @TempDir Path tmp;
  final List<String> log = new ArrayList<>();
  RunOwner here;
  RunOwner dead;

  @BeforeEach
  void setUp() throws Exception {
    here = RunOwner.current();
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    dead = new RunOwner(ended.pid(), 1_000L, here.bootId(), here.host());
  }

  private Path loginDir(String name, RunOwner owner) throws Exception {
    Path dir =
        Files.createDirectory(
            tmp.resolve(name),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.writeString(dir.resolve("config.json"), "{\"auths\": {\"r\": {\"auth\": \"c2VjcmV0\"}}}");
    if (owner != null) {
      LoginLeftovers.claim(dir, owner);
    }
    return dir;
  }

  private List<Path> sweep() {
    return LoginLeftovers.sweep(tmp, here, log::add);
  }

  @Test
  void theDirectoryOfAMavenThatIsGoneIsDeletedAndNamed() throws Exception {
    Path dir = loginDir("nss-registry-111", dead);

    assertEquals(List.of(dir), sweep());

    assertTrue(Files.notExists(dir));
    assertEquals(
        List.of(
            "Deleted the registry login directory "
                + dir
                + " of Maven process "
                + dead.pid()
                + ", which ended without deleting it."),
        log);
  }

  @Test
  void aLiveMavensDirectoryStaysAndAReusedPidDoesNotProtectOne() throws Exception {
    Path live = loginDir("nss-registry-live", here);
    Path reused =
        loginDir(
            "nss-registry-reused",
            new RunOwner(here.pid(), here.startMillis() - 5_000, here.bootId(), here.host()));

    assertEquals(List.of(reused), sweep());

    assertTrue(Files.exists(live.resolve("config.json")), "this JVM's login is kept");
  }

  @Test
  void anotherBootsDirectoryGoesAnotherHostsStays() throws Exception {
    Path otherBoot =
        loginDir(
            "nss-registry-boot",
            new RunOwner(here.pid(), here.startMillis(), "another-boot", here.host()));
    Path otherHost =
        loginDir(
            "nss-registry-host",
            new RunOwner(dead.pid(), 1_000L, here.bootId(), "another-host-on-a-shared-tmp"));

    assertEquals(List.of(otherBoot), sweep());

    assertTrue(Files.exists(otherHost), "its Maven may still run on that host");
  }

  @Test
  void withoutAReadableOwnerRecordADirectoryStays() throws Exception {
    Path none = loginDir("nss-registry-none", null);
    Path garbage = loginDir("nss-registry-garbage", null);
    Files.writeString(garbage.resolve(LoginLeftovers.OWNER), "dev.nss.maven-pid=x\n");
    Path huge = loginDir("nss-registry-huge", dead);
    Files.writeString(
        huge.resolve(LoginLeftovers.OWNER),
        String.join("\n", dead.labels()) + "\n#" + "x".repeat(2000) + "\n");
    Path linked = loginDir("nss-registry-linked", null);
    Path elsewhere = loginDir("elsewhere", dead);
    Files.createSymbolicLink(
        linked.resolve(LoginLeftovers.OWNER), elsewhere.resolve(LoginLeftovers.OWNER));

    assertEquals(List.of(), sweep());

    for (Path dir : List.of(none, garbage, huge, linked, elsewhere)) {
      assertTrue(Files.exists(dir.resolve("config.json")), dir + " kept");
    }
  }

  @Test
  void onlyPrivateDirectoriesWithTheNameAreSweptNeverALinkOrAFile() throws Exception {
    Path open = loginDir("nss-registry-open", dead);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path target = loginDir("target-of-a-link", dead);
    Path link = Files.createSymbolicLink(tmp.resolve("nss-registry-link"), target);
    Path file = Files.writeString(tmp.resolve("nss-registry-file"), "x");
    Path otherName = loginDir("nss-other-222", dead);

    assertEquals(List.of(), sweep());

    for (Path kept : List.of(open, target, otherName)) {
      assertTrue(Files.exists(kept.resolve("config.json")), kept + " kept");
    }
    assertTrue(Files.isSymbolicLink(link) && Files.exists(file));
  }

  @Test
  void anotherUsersDirectoryStays() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
    Path theirs = loginDir("nss-registry-theirs", dead);
    Files.setAttribute(theirs, "unix:uid", 4242, LinkOption.NOFOLLOW_LINKS);

    assertEquals(List.of(), sweep());

    assertTrue(Files.exists(theirs.resolve("config.json")));
  }

  @Test
  void linksToTheUsersDockerStateGoButNotWhatTheyPointTo() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("user-docker/cli-plugins"));
    Files.writeString(plugins.resolve("docker-buildx"), "#!/bin/sh\n");
    Path dir = loginDir("nss-registry-333", dead);
    Files.createSymbolicLink(dir.resolve("cli-plugins"), plugins);

    assertEquals(List.of(dir), sweep());

    assertTrue(Files.exists(plugins.resolve("docker-buildx")));
  }

  @Test
  void aSessionNamesThisJvmAsItsOwnerSoItsOwnSweepKeepsIt() throws Exception {
    try (RegistrySession session = RegistrySession.create(false, new RecordingHooks())) {
      Path dir = session.dir();
      assertEquals(
          Optional.of(here),
          LoginLeftovers.parse(Files.readString(dir.resolve(LoginLeftovers.OWNER))));

      assertEquals(
          Optional.empty(),
          LoginLeftovers.deadOwner(
              dir,
              dir.getFileSystem()
                  .getUserPrincipalLookupService()
                  .lookupPrincipalByName(System.getProperty("user.name")),
              here));

      assertTrue(Files.isDirectory(dir));
    }
  }
}
