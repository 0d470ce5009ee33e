package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.nss.core.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hf-cache, hf-token, disk and memory on temp dirs and fakes. */
class HostChecksTest {

  private static final String TOKEN = "hf_doctorTestSecretValue123";

  @TempDir Path tmp;
  private TestHost host;
  private Path cache;

  @BeforeEach
  void setUp() {
    host = new TestHost(tmp);
    cache = tmp.resolve("hf-cache");
  }

  @Test
  void existingWritableCache() throws Exception {
    Files.createDirectories(cache);
    assertEquals(Finding.ok(cache + " (writable)"), new HfCacheCheck().run(host.context()));
  }

  @Test
  void missingCacheThatRunGpuCanCreate() throws Exception {
    Path deep = tmp.resolve("a/b/c");
    Finding f =
        new HfCacheCheck().run(host.context(host.settings().hfCache(deep.toString()).build()));
    assertEquals(Finding.ok(deep + " (missing; run-gpu creates it)"), f);
  }

  @Test
  void cacheThatIsAFileIsAnError() throws Exception {
    Files.writeString(cache, "x");
    Finding f = new HfCacheCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertEquals(cache + " exists but is not a directory", f.value());
  }

  @Test
  void cacheUnderAFileCannotBeCreated() throws Exception {
    Files.writeString(tmp.resolve("file"), "x");
    Path under = tmp.resolve("file/cache");
    Finding f =
        new HfCacheCheck().run(host.context(host.settings().hfCache(under.toString()).build()));
    assertEquals(Status.ERROR, f.status());
    assertTrue(f.value().contains("cannot be created"), f.value());
  }

  @Test
  void readOnlyCacheIsAnError() throws Exception {
    assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
    Files.createDirectories(cache);
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r-xr-xr-x"));
    Finding f = new HfCacheCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertTrue(f.fix().contains("chown"), f.fix());
  }

  @Test
  void tokenInEnvironmentIsFoundAndNeverPrinted() throws Exception {
    host.env.put("HF_TOKEN", TOKEN);
    Finding f = new HfTokenCheck().run(host.context());
    assertEquals(Finding.ok("HF_TOKEN is set (passed to the container by name)"), f);
    assertNoSecret(f);
  }

  @Test
  void blankHfTokenFallsThroughToTheHubVariable() throws Exception {
    host.env.put("HF_TOKEN", "  ");
    host.env.put("HUGGING_FACE_HUB_TOKEN", TOKEN);
    Finding f = new HfTokenCheck().run(host.context());
    assertEquals(Finding.ok("HUGGING_FACE_HUB_TOKEN is set (passed to the container by name)"), f);
  }

  @Test
  void tokenFileInTheMountedCacheIsWhatTheContainerSees() throws Exception {
    Files.createDirectories(cache);
    Files.writeString(cache.resolve("token"), TOKEN + "\n");
    Finding f = new HfTokenCheck().run(host.context());
    assertEquals(
        Finding.ok("token file " + cache.resolve("token") + " (the container's $HF_HOME/token)"),
        f);
    assertNoSecret(f);
  }

  @Test
  void tokenFileElsewhereIsAWarningTheContainerWillNotSeeIt() throws Exception {
    Path file = tmp.resolve("my-token");
    Files.writeString(file, TOKEN);
    host.env.put("HF_TOKEN_PATH", file.toString());
    Finding f = new HfTokenCheck().run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertTrue(
        f.value().startsWith("token file " + file + ", which the container does not see"),
        f.value());
    assertTrue(f.fix().contains("export HF_TOKEN=\"$(cat " + file + ")\""), f.fix());
    assertNoSecret(f);
  }

  @Test
  void tokenPathRulesFollowTheAgentsOrder() {
    host.env.put("HOME", "/home/u");
    assertEquals(
        Paths.get("/home/u/.cache/huggingface/token"),
        HfTokenCheck.tokenFile(host.environment()).get());
    host.env.put("XDG_CACHE_HOME", "/xdg");
    assertEquals(
        Paths.get("/xdg/huggingface/token"), HfTokenCheck.tokenFile(host.environment()).get());
    host.env.put("HF_HOME", "/hf");
    assertEquals(Paths.get("/hf/token"), HfTokenCheck.tokenFile(host.environment()).get());
    host.env.put("HF_TOKEN_PATH", "/explicit");
    assertEquals(Paths.get("/explicit"), HfTokenCheck.tokenFile(host.environment()).get());
    host.env.clear();
    assertEquals(
        Paths.get("/tmp/.cache/huggingface/token"),
        HfTokenCheck.tokenFile(host.environment()).get());
  }

  @Test
  void blankTokenFileAndNoVariablesIsAWarning() throws Exception {
    Files.createDirectories(cache);
    Files.writeString(cache.resolve("token"), "\n");
    Finding f = new HfTokenCheck().run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertTrue(f.value().startsWith("no token"), f.value());
    assertTrue(f.fix().contains("export HF_TOKEN="), f.fix());
  }

  @Test
  void diskFreeAtTheEnginesRootDir() throws Exception {
    host.dockerWithCapturedInfo();
    Files.createDirectories(host.root.resolve("var/lib/docker"));
    Finding ok = new DiskCheck().run(host.context(host.settings().minFreeDisk("1K").build()));
    assertEquals(Status.OK, ok.status());
    assertTrue(
        ok.value().matches("[0-9.]+ [KMGTP]?i?B free at /var/lib/docker \\(need 1 KiB\\)"),
        ok.value());
    Finding low =
        new DiskCheck().run(host.context(host.settings().minFreeDisk("1000000T").build()));
    assertEquals(Status.ERROR, low.status());
    assertTrue(low.fix().contains("docker system prune"), low.fix());
  }

  @Test
  void rootDirNotOnThisHostIsAWarning() throws Exception {
    host.dockerWithCapturedInfo();
    Finding f = new DiskCheck().run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertTrue(f.value().startsWith("/var/lib/docker is not on this host"), f.value());
  }

  @Test
  void memoryAndShm() throws Exception {
    Finding ok = new MemoryCheck().run(host.context());
    assertEquals(Status.OK, ok.status());
    assertTrue(ok.value().startsWith("64 GiB memory, /dev/shm "), ok.value());
    host.hardware = new FakeHardware(List.of(), OptionalLong.of(8L << 30));
    Finding small = new MemoryCheck().run(host.context());
    assertEquals(Status.WARNING, small.status());
    assertTrue(small.value().contains("less than 16 GiB memory"), small.value());
    host.hardware = new FakeHardware(List.of(), OptionalLong.empty());
    assertTrue(new MemoryCheck().run(host.context()).value().startsWith("unknown memory"));
  }

  @Test
  void realOshiReportsMemory() {
    OptionalLong total = new OshiHostHardware().totalMemoryBytes();
    assertTrue(total.isPresent() && total.getAsLong() > 0, String.valueOf(total));
  }

  @Test
  void meminfoIsParsed() throws Exception {
    Path meminfo = tmp.resolve("meminfo");
    Files.writeString(meminfo, "MemTotal:       24684092 kB\nMemFree:  1 kB\n");
    assertEquals(
        OptionalLong.of(24684092L * 1024), new OshiHostHardware(meminfo).totalMemoryBytes());
  }

  private static void assertNoSecret(Finding f) {
    assertFalse((f.value() + f.fix()).contains(TOKEN), "token leaked");
    assertFalse(
        (f.value() + f.fix()).matches("(?s).*\\b" + TOKEN.length() + "\\b.*"),
        "token length leaked");
  }

  @Test
  void diskIsOnlyAWarningWhenTheEngineIsDown() throws Exception {
    host.withInfo(
        "docker", FakeCommandRunner.resource("docker/info-engine-down-client-20.10.json"));
    Finding f = new DiskCheck().run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertTrue(f.value().startsWith("not checked: engine unreachable (Cannot connect"), f.value());
  }

  @Test
  void anEngineWithoutARootDirCannotBeMeasured() throws Exception {
    host.withInfo("docker", "{\"ServerVersion\":\"20.10.24\"}");
    assertEquals(
        Finding.warning(
            "the engine reported no root dir", "check free space by hand: docker system df; df -h"),
        new DiskCheck().run(host.context()));
  }

  @Test
  void withoutProcMeminfoOshiGivesTheMemory() {
    OptionalLong total = new OshiHostHardware(tmp.resolve("no-meminfo")).totalMemoryBytes();
    assertTrue(total.isPresent() && total.getAsLong() > 0, String.valueOf(total));
  }

  @Test
  void theSystemEnvironmentIsThisMachine() {
    DoctorEnvironment system = DoctorEnvironment.system(java.util.Map.of("NSS_DOCTOR_X", "1"));
    assertEquals("1", system.env("NSS_DOCTOR_X"));
    assertEquals(Paths.get("/proc/meminfo"), system.hostPath("/proc/meminfo"));
    assertEquals(Paths.get(System.getProperty("java.io.tmpdir")), system.tmpDir());
    assertTrue(system.runner() instanceof ProcessCommandRunner);
    assertEquals(System.getenv(), DoctorEnvironment.system().env());
  }
}
