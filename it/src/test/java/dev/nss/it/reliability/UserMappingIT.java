package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.Engine;
import dev.nss.it.ItEnv;
import dev.nss.it.SampleProject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With {@code nss.user=auto} (the default) what the program writes under /workspace and the HF
 * cache belongs to the user who ran Maven, and it can write {@code $HOME}: as root (docker and
 * podman, as an unprivileged container root) and as a non-root user who is not uid 1000 (uid 1001
 * in the docker group, through {@code runuser}). The project's {@code .hf_cache} mount point is
 * made by that user, not by the engine as root. Needs root (to make the test user), like the engine
 * itself here.
 */
class UserMappingIT {

  static final int TEST_UID = 1001;
  private static final String WRITES =
      "id -u > /workspace/out-uid; touch /workspace/.hf_cache/cached; "
          + "mkdir -p \"$HOME/.cache/torch\" && touch \"$HOME/.cache/torch/kernel\" && echo home-ok=$HOME";

  static List<String> engines() {
    return TinyImage.engines();
  }

  /**
   * Root (as on CI runners) on a rootful engine, docker and podman: the program runs as uid 0, the
   * owner of root's project and HF cache, so it writes its outputs there, but with no capabilities
   * at all and no way to gain any ({@code CapEff} 0, {@code NoNewPrivs} 1); it cannot write a file
   * root does not own.
   */
  @ParameterizedTest
  @MethodSource("engines")
  void asRootTheProgramWritesItsOutputsWithoutCapabilities(String cli) throws IOException {
    requireRoot();
    SampleProject project = Rel.project("user-root-" + TinyImage.shortName(cli));
    Path foreign = project.dir().resolve("foreign");
    Files.writeString(foreign, "not root's\n");
    exec(List.of("chown", "4242:4242", foreign.toString()));
    exec(List.of("chmod", "644", foreign.toString()));
    BuildLog run =
        project
            .maven("nss:run-gpu")
            .property("nss.containerCli", cli)
            .property("nss.image", TinyImage.on(cli))
            .property("nss.skipBuild", "true")
            .property("nss.gpuFlag", "")
            .property(
                "nss.cmd",
                "sh -c '"
                    + WRITES
                    + "; grep -E \"^(CapEff|CapBnd|NoNewPrivs)\" /proc/self/status > /workspace/out-status;"
                    + " echo x >> /workspace/foreign || echo foreign-refused'")
            .run();
    assertTrue(run.succeeded(), run::describe);
    assertTrue(
        run.stdout().contains(" --user 0:0 --cap-drop=ALL --security-opt=no-new-privileges "),
        run::describe);
    assertTrue(run.stdout().contains("home-ok=/"), "HOME is writable:\n" + run.describe());
    assertTrue(run.stdout().contains("foreign-refused"), "no CAP_DAC_OVERRIDE:\n" + run.describe());
    assertEquals("0", Files.readString(project.dir().resolve("out-uid")).strip());
    String status = Files.readString(project.dir().resolve("out-status"));
    assertTrue(status.contains("CapEff:\t0000000000000000"), status);
    assertTrue(status.contains("CapBnd:\t0000000000000000"), status);
    assertTrue(status.contains("NoNewPrivs:\t1"), status);
    assertEquals(0, owner(project.dir().resolve("out-uid")), "the output, root's like the project");
    assertEquals(0, owner(project.dir().resolve("hf-cache/cached")), "the HF cache mount");
    assertTrue(
        Files.isDirectory(project.dir().resolve(".hf_cache")), "its mount point, made by Maven");
    Timings.note(cli + " as root: " + status.strip().replace('\n', ' ').replace('\t', ' '));
  }

  /**
   * uid 1001, in the docker group, runs Maven on its own project: the real runtime image's program
   * runs as 1001, the agent reports no unwritable workspace or HF cache, and the files are 1001's.
   */
  @Test
  void aNonRootUserWhoIsNotUid1000OwnsWhatTheProgramWrites() throws Exception {
    requireRoot();
    String image = RelImage.runtime();
    SampleProject project = Rel.project("user-1001");
    Path dir = project.dir();
    String log =
        mavenAs1001(
            dir,
            "run-as-" + TEST_UID + ".log",
            "-Dnss.containerCli=" + Rel.DOCKER,
            "-Dnss.image=" + image,
            "-Dnss.skipBuild=true",
            "-Dnss.gpuFlag=",
            "-Dnss.cmd=generate",
            "-Dnss.extraMounts=-e NSS_PREFLIGHT_REPORT=/workspace/preflight.json",
            "nss:run-gpu");
    assertTrue(log.contains(" -e HOME=/tmp "), log);
    assertTrue(
        log.contains("\"uid\":" + TEST_UID) || log.contains("\"uid\": " + TEST_UID),
        "the program's uid:\n" + log);
    assertFalse(log.contains("not writable"), "the agent found something unwritable:\n" + log);
    assertEquals(
        TEST_UID,
        owner(dir.resolve("preflight.json")),
        "the agent's report, written in /workspace");
    assertEquals(
        TEST_UID, owner(dir.resolve(".hf_cache")), "the mount point, made by Maven's user");
    assertEquals(TEST_UID, owner(dir.resolve("hf-cache")));
  }

  /**
   * test-ci follows nss.user: uid 1001's {@code make test-ci} stand-in writes {@code __pycache__}
   * and {@code .pytest_cache} as 1001, not as the test image's root.
   */
  @Test
  void testCiRunsAsTheUserWhoRanMaven() throws Exception {
    requireRoot();
    SampleProject project = Rel.project("test-ci-1001");
    Path dir = project.dir();
    mavenAs1001(
        dir,
        "test-ci-as-" + TEST_UID + ".log",
        "-Dnss.containerCli=" + Rel.DOCKER,
        "-Dnss.testImage=" + TinyImage.on(Rel.DOCKER),
        "-Dnss.skipBuild=true",
        "-Dnss.cmd=sh -c 'mkdir -p __pycache__ .pytest_cache && id -u > .pytest_cache/uid'",
        "nss:test-ci");
    assertEquals(
        Integer.toString(TEST_UID),
        Files.readString(dir.resolve(".pytest_cache/uid")).strip(),
        "the program's uid");
    assertEquals(TEST_UID, owner(dir.resolve("__pycache__")));
    assertEquals(TEST_UID, owner(dir.resolve(".pytest_cache/uid")));
  }

  /**
   * Runs Maven as uid 1001 (in the docker group) in {@code dir}, with copies of Maven and the
   * plugin repository it can read; checks that it succeeded and passed {@code --user 1001:…}.
   * Returns its output, also kept in {@code dir/logName}.
   */
  private static String mavenAs1001(Path dir, String logName, String... args) throws Exception {
    String user = TestUser.ensure(TEST_UID);
    Path home = Rel.work().resolve("home-" + TEST_UID);
    Path repo = Rel.work().resolve("repo-" + TEST_UID);
    Path maven = Rel.work().resolve("maven-home");
    copyOnce(Path.of(ItEnv.mavenHome()), maven);
    copyOnce(Path.of(ItEnv.repo()), repo);
    // The reactor's plugin and its dependencies are in it-repo; the parent pom's imported BOM is in
    // the user's repository, which uid 1001 cannot read.
    copyOnce(Path.of(ItEnv.userRepo(), "org/junit/junit-bom"), repo.resolve("org/junit/junit-bom"));
    Files.createDirectories(home);
    for (Path p : List.of(dir, home, repo)) {
      exec(List.of("chown", "-R", TEST_UID + ":" + TEST_UID, p.toString()));
    }
    List<String> argv =
        new ArrayList<>(
            List.of(
                "runuser",
                "-u",
                user,
                "--",
                "env",
                "HOME=" + home,
                "JAVA_HOME=" + System.getProperty("java.home"),
                "LANG=C.UTF-8",
                maven.resolve("bin/mvn").toString(),
                "-B",
                "-o",
                "-ntp",
                "-Dmaven.repo.local=" + repo));
    argv.addAll(List.of(args));
    Process p =
        new ProcessBuilder(argv)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(logName).toFile())
            .start();
    int code = p.waitFor();
    String log = Rel.read(dir.resolve(logName));
    assertEquals(0, code, log);
    assertTrue(log.contains(" --user " + TEST_UID + ":"), log);
    return log;
  }

  /**
   * Rootless podman (podman run by uid 1001 itself, with subordinate ids for it in /etc/subuid):
   * {@code auto} adds {@code --userns=keep-id}, so the program runs as 1001 and its files are
   * 1001's on the host (without it, 1001 in the container is a subordinate id on the host and
   * cannot write the project). The container gets no network ({@code --network=none} through
   * nss.extraMounts) because rootless networking needs slirp4netns, which this machine's set-up
   * does not install.
   */
  @Test
  void rootlessPodmanKeepsTheUsersIds() throws Exception {
    requireRoot();
    Rel.require(
        Engine.selected().contains(Engine.PODMAN), "podman is not among the engines to test");
    Engine.PODMAN.require();
    Rel.require(
        Files.isExecutable(Path.of("/usr/bin/newuidmap")),
        "rootless podman needs newuidmap (package uidmap)");
    String user = TestUser.ensure(TEST_UID);
    TestUser.subordinateIds(user);
    Path home = Rel.work().resolve("home-rootless-" + TEST_UID);
    Path runtime = home.resolve("run");
    Files.createDirectories(runtime);
    Path rootfs = Rel.work().resolve("tiny-rootless.tar");
    TinyImage.on(TinyImage.PODMAN); // makes the root file system
    exec(
        List.of(
            "tar",
            "-C",
            Rel.work().resolve("tiny-rootfs").toString(),
            "-cf",
            rootfs.toString(),
            "."));
    SampleProject project = Rel.project("user-rootless");
    Path repo = Rel.work().resolve("repo-" + TEST_UID);
    Path maven = Rel.work().resolve("maven-home");
    copyOnce(Path.of(ItEnv.mavenHome()), maven);
    copyOnce(Path.of(ItEnv.repo()), repo);
    copyOnce(Path.of(ItEnv.userRepo(), "org/junit/junit-bom"), repo.resolve("org/junit/junit-bom"));
    for (Path p : List.of(project.dir(), home, repo, rootfs)) {
      exec(List.of("chown", "-R", TEST_UID + ":" + TEST_UID, p.toString()));
    }
    exec(List.of("chmod", "700", runtime.toString()));
    List<String> asUser =
        List.of(
            "runuser",
            "-u",
            user,
            "--",
            "env",
            "HOME=" + home,
            "XDG_RUNTIME_DIR=" + runtime,
            "JAVA_HOME=" + System.getProperty("java.home"),
            "LANG=C.UTF-8");
    String image = "nss-it/tiny-rootless:" + Rel.RUN_ID;
    List<String> importArgv = new ArrayList<>(asUser);
    importArgv.addAll(List.of("podman", "import", rootfs.toString(), image));
    exec(importArgv);
    List<String> argv = new ArrayList<>(asUser);
    argv.addAll(
        List.of(
            maven.resolve("bin/mvn").toString(),
            "-B",
            "-o",
            "-ntp",
            "-Dmaven.repo.local=" + repo,
            "-Dnss.containerCli=podman",
            "-Dnss.image=" + image,
            "-Dnss.skipBuild=true",
            "-Dnss.gpuFlag=",
            "-Dnss.extraMounts=--network=none",
            "-Dnss.cmd=sh -c '" + WRITES + "'",
            "nss:run-gpu"));
    Path logFile = project.dir().resolve("run-rootless.log");
    Process p =
        new ProcessBuilder(argv)
            .directory(project.dir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .start();
    int code = p.waitFor();
    String log = Rel.read(logFile);
    assertEquals(0, code, log);
    assertTrue(log.contains(" --userns=keep-id --user " + TEST_UID + ":"), log);
    assertTrue(log.contains("home-ok=/tmp"), log);
    assertEquals(
        Integer.toString(TEST_UID), Files.readString(project.dir().resolve("out-uid")).strip());
    assertEquals(TEST_UID, owner(project.dir().resolve("out-uid")));
    assertEquals(TEST_UID, owner(project.dir().resolve("hf-cache/cached")));
  }

  private static void requireRoot() {
    Rel.require(
        new com.sun.security.auth.module.UnixSystem().getUid() == 0,
        "needs root (runuser, useradd, chown)");
  }

  private static int owner(Path file) throws IOException {
    return (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  private static void copyOnce(Path from, Path to) throws IOException {
    if (!Files.exists(to)) {
      Files.createDirectories(to.getParent());
      exec(List.of("cp", "-r", from.toString(), to.toString()));
    }
  }

  static void exec(List<String> argv) {
    Rel.Result r = Rel.exec(argv, Map.of());
    if (r.exitCode() != 0) {
      throw new AssertionError(r.describe());
    }
  }

  /**
   * A local user with a given uid, in the docker group: the one that has the uid, or {@code
   * nss-it-u<uid>} made here.
   */
  static final class TestUser {
    private TestUser() {}

    static synchronized String ensure(int uid) {
      Rel.Result existing = Rel.exec(List.of("getent", "passwd", Integer.toString(uid)), Map.of());
      String name;
      if (existing.exitCode() == 0) {
        name = existing.out().split(":", 2)[0];
      } else {
        name = "nss-it-u" + uid;
        exec(
            List.of(
                "useradd",
                "--uid",
                Integer.toString(uid),
                "--user-group",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                name));
      }
      exec(List.of("usermod", "-aG", "docker", name));
      return name;
    }

    /**
     * Subordinate uids and gids for rootless podman, added to /etc/subuid and /etc/subgid where
     * missing.
     */
    static synchronized void subordinateIds(String name) throws IOException {
      for (String file : List.of("/etc/subuid", "/etc/subgid")) {
        Path path = Path.of(file);
        String text = Files.exists(path) ? Files.readString(path) : "";
        if (text.lines().noneMatch(l -> l.startsWith(name + ":"))) {
          Files.writeString(
              path,
              text
                  + (text.isEmpty() || text.endsWith("\n") ? "" : "\n")
                  + name
                  + ":300000:65536\n");
        }
      }
    }
  }
}
