package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.MavenBuild;
import dev.nss.it.Registry;
import dev.nss.it.SampleProject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run of an image that is only in a registry ({@code nss.skipBuild}), on docker and podman: the
 * pull is a step of its own, slowed to seconds by a throttling proxy in front of the local htpasswd
 * registry. Ctrl-C (SIGINT to Maven's process group) during the pull or during the create leaves no
 * container, no keeper and no pull client; a pull longer than {@code nss.engineTimeout} is not cut
 * short.
 *
 * <p>Tries per engine: {@code -Dnss.it.pullTries=N} (default 2 in the suite, one signal during the
 * pull, one after the create line; the figure run uses 20, see docs/reliability.md). The image's
 * extra layer is {@code -Dnss.it.pullMegabytes} (default 24) of random bytes, served at {@code
 * -Dnss.it.pullRate} bytes a second (default 4 MiB).
 */
class PullIT {

  private static final Pattern CREATE =
      Pattern.compile("\\bcreate (?:--rm )?--name (nss-run-[0-9a-f]+)");
  private static final int TRIES = Integer.getInteger("nss.it.pullTries", 2);
  private static final long RATE = Long.getLong("nss.it.pullRate", 4L << 20);
  private static final int MEGABYTES = Integer.getInteger("nss.it.pullMegabytes", 24);
  private static final String USER = "nss-it";

  private static Registry registry;
  private static ThrottledProxy proxy;
  private static Path logins;
  private static final String REPOSITORY = "nss-it/pull-" + Rel.RUN_ID + ":1";

  static List<String> engines() {
    return TinyImage.engines();
  }

  @BeforeAll
  static void pushALargeImage() throws IOException {
    Rel.requireEngine();
    registry = Registry.start(USER, "pull-pw-" + Long.toHexString(System.nanoTime()));
    proxy = new ThrottledProxy(Integer.parseInt(registry.host().split(":")[1]), RATE);
    logins = Files.createDirectories(Rel.work().resolve("pull-logins"));
    String auth =
        Base64.getEncoder()
            .encodeToString((USER + ":" + registry.password()).getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        logins.resolve("config.json"),
        "{\"auths\": {\"" + proxy.host() + "\": {\"auth\": \"" + auth + "\"}}}\n");
    Path context = Files.createDirectories(Rel.work().resolve("pull-image"));
    byte[] blob = new byte[MEGABYTES << 20];
    new Random(42).nextBytes(blob); // incompressible: the pull moves every byte
    Files.write(context.resolve("blob"), blob);
    Files.writeString(
        context.resolve("Dockerfile"), "FROM " + TinyImage.on(Rel.DOCKER) + "\nCOPY blob /blob\n");
    String pushed = registry.host() + "/" + REPOSITORY;
    check(Rel.docker("build", "--tag", pushed, context.toString()));
    check(Rel.exec(List.of(Rel.DOCKER, "push", pushed), registry.loginEnvironment()));
    check(Rel.docker("rmi", pushed)); // the layers too: each run must pull them
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private static void check(Rel.Result result) {
    assertEquals(0, result.exitCode(), result::describe);
  }

  /** The image through the throttling proxy: in no local store until a run pulls it. */
  private static String image() {
    return proxy.host() + "/" + REPOSITORY;
  }

  /** Removes this test's own tag from {@code cli}'s store, so that the next run pulls. */
  private static void forget(String cli) {
    Rel.exec(List.of(cli, "rmi", "-f", image()), Map.of());
  }

  private static MavenBuild run(SampleProject project, String cli, String cmd) {
    return project
        .maven("nss:run-gpu")
        .property("nss.containerCli", cli)
        .property("nss.image", image())
        .property("nss.skipBuild", "true")
        .property("nss.registryInsecure", "true")
        .property("nss.gpuFlag", "")
        .property("nss.cmd", cmd)
        .env("DOCKER_CONFIG", logins.toString())
        .env("REGISTRY_AUTH_FILE", logins.resolve("config.json").toString());
  }

  @ParameterizedTest
  @MethodSource("engines")
  void ctrlCDuringThePullOrTheCreateLeavesNoContainerKeeperOrPull(String cli) {
    SampleProject project = Rel.project("pull-ctrl-c-" + TinyImage.shortName(cli));
    long pullMillis = (MEGABYTES * 1000L << 20) / RATE;
    List<Long> mavenPids = new ArrayList<>();
    List<Long> endMillis = new ArrayList<>();
    int duringPull = 0;
    for (int i = 0; i < TRIES; i++) {
      forget(cli);
      boolean inPull = i % 2 == 0;
      MavenBuild.Running maven =
          run(project, cli, "sh -c 'echo pull-ready; exec sleep 300'").ownSession().start();
      mavenPids.add(maven.pid());
      String name = null;
      try {
        if (inPull) {
          maven.awaitOutput(t -> t.contains(" pull --platform "), 180);
          // Spread over the first 80% of the pull's expected length.
          Rel.sleep(Math.round(pullMillis * 0.8 * i / Math.max(1, TRIES)));
        } else {
          name = awaitCreate(maven);
          Rel.sleep(Math.round(300.0 * i / Math.max(1, TRIES))); // 0-300 ms after the create line
        }
        boolean created = CREATE.matcher(maven.out()).find();
        maven.signal("INT", true);
        BuildLog outcome = maven.await(180);
        endMillis.add(outcome.waitedMillis());
        if (!created) {
          duringPull++;
        }
        Matcher m = CREATE.matcher(outcome.stdout());
        if (name == null && m.find()) {
          name = m.group(1);
        }
        assertNotEquals(0, outcome.exitCode(), outcome::describe);
        assertEquals(List.of(), TinyImage.containersOf(cli, maven.pid()), outcome::describe);
        String keeperName = name;
        awaitGone(
            () ->
                keeperName == null
                    ? Rel.processes(c -> c.contains("RunKeeper\0") && c.contains(image()))
                    : LifecycleIT.keepers(keeperName),
            "a keeper still runs:\n" + outcome.describe());
        awaitGone(
            () -> Rel.processes(c -> c.contains("\0pull\0") && c.contains(image())),
            "a pull client still runs:\n" + outcome.describe());
      } finally {
        maven.process().destroyForcibly();
      }
    }
    for (long pid : mavenPids) { // a create that landed late would show now
      assertEquals(List.of(), TinyImage.containersOf(cli, pid), "left behind by Maven " + pid);
    }
    forget(cli);
    Timings.note(
        "pull "
            + cli
            + ": Ctrl-C during the pull ("
            + duringPull
            + " tries) or after the create line ("
            + (TRIES - duringPull)
            + "), "
            + MEGABYTES
            + " MiB layer at "
            + RATE
            + " B/s: 0 containers, keepers or pull clients left; Maven ended after the signal,"
            + " median "
            + LifecycleIT.median(endMillis)
            + " ms, max "
            + endMillis.stream().mapToLong(Long::longValue).max().orElse(0)
            + " ms");
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aPullLongerThanTheEngineTimeoutIsNotCutShort(String cli) {
    forget(cli);
    SampleProject project = Rel.project("pull-slow-" + TinyImage.shortName(cli));
    BuildLog run =
        run(project, cli, "sh -c 'echo pulled-and-ran'").property("nss.engineTimeout", "3").run();
    forget(cli);
    assertTrue(run.succeeded(), run::describe);
    assertTrue(run.stdout().contains(" pull --platform linux/amd64 "), run::describe);
    assertTrue(run.stdout().lines().anyMatch(l -> l.equals("pulled-and-ran")), run::describe);
    Timings.record(
        "pull "
            + cli
            + ": run-gpu of a registry-only image ("
            + MEGABYTES
            + " MiB at "
            + RATE
            + " B/s) with nss.engineTimeout=3 succeeded; Maven took",
        run.waitedMillis());
  }

  private static String awaitCreate(MavenBuild.Running maven) {
    long end = System.nanoTime() + 300_000_000_000L;
    while (true) {
      Matcher m = CREATE.matcher(maven.out());
      if (m.find()) {
        return m.group(1);
      }
      assertTrue(
          maven.process().isAlive() && System.nanoTime() < end, "no create line:\n" + maven.out());
      Rel.sleep(2);
    }
  }

  /** Waits until {@code pids} is empty (a hang guard of 60 s), then asserts it. */
  private static void awaitGone(java.util.function.Supplier<List<Long>> pids, String message) {
    for (int i = 0; i < 600 && !pids.get().isEmpty(); i++) {
      Rel.sleep(100);
    }
    assertEquals(List.of(), pids.get(), message);
  }
}
