package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
  @TempDir Path tmp;
  Map<String, String> env;
  FakeHost host;
  Path dev;
  Path workspace;

  @BeforeEach
  void setUp() throws IOException {
    env = new HashMap<>();
    host = new FakeHost();
    dev = Files.createDirectory(tmp.resolve("dev"));
    workspace = Files.createDirectory(tmp.resolve("workspace"));
    env.put("NSS_WORKSPACE", workspace.toString());
    env.put("PATH", Files.createDirectory(tmp.resolve("bin")).toString());
    env.put("HOME", Files.createDirectory(tmp.resolve("home")).toString());
  }

  private Preflight preflight() {
    return new Preflight(env, host, dev);
  }

  private Finding hfToken() throws IOException {
    return HfTokenCheck.check(env, host.engine(env.get("container")));
  }

  private Finding gpu() {
    return GpuCheck.check(env, dev, host.engine(env.get("container")));
  }

  private static void assertFinding(Finding finding, String id, Level level, String... fragments) {
    assertEquals(id, finding.id);
    assertEquals(level, finding.level, finding.message);
    for (String fragment : fragments) {
      assertTrue(
          finding.message.contains(fragment),
          "'" + fragment + "' missing from: " + finding.message);
    }
    if (level != Level.OK) {
      assertTrue(finding.message.contains("Fix: "), "no fix in: " + finding.message);
      assertTrue(
          finding.line().startsWith("[nss-container] " + level.name() + ": "), finding.line());
    }
  }

  @Test
  void missingWorkspaceIsAWarningWithAnAbsoluteMountExample() throws IOException {
    env.put("NSS_WORKSPACE", tmp.resolve("absent").toString());
    assertFinding(
        preflight().workspace(),
        "workspace",
        Level.WARNING,
        "does not exist",
        "docker run -v /absolute/path/to/your/project:" + tmp.resolve("absent"));
  }

  @Test
  void workspaceThatIsAFileCountsAsMissing() throws IOException {
    env.put("NSS_WORKSPACE", Files.writeString(tmp.resolve("file"), "x").toString());
    assertFinding(preflight().workspace(), "workspace", Level.WARNING, "does not exist");
  }

  @Test
  void defaultWorkspaceIsSlashWorkspace() {
    env.remove("NSS_WORKSPACE");
    assertEquals(Path.of("/workspace"), preflight().workspacePath());
  }

  @Test
  void emptyWorkspaceIsAWarning() throws IOException {
    assertFinding(preflight().workspace(), "workspace", Level.WARNING, "is empty", "-v ");
  }

  @Test
  void workspaceHoldingOnlyTheHfCacheIsEmpty() throws IOException {
    Files.createDirectory(workspace.resolve(".hf_cache"));
    assertFinding(preflight().workspace(), "workspace", Level.WARNING, "is empty", ".hf_cache");
  }

  @Test
  void workspaceWithDataBesideTheHfCacheHasContent() throws IOException {
    Files.createDirectory(workspace.resolve(".hf_cache"));
    Files.writeString(workspace.resolve("config.yaml"), "a: 1");
    assertFinding(preflight().workspace(), "workspace", Level.OK);
  }

  @Test
  void workspaceWithOneFileHasContent() throws IOException {
    Files.writeString(workspace.resolve("data.csv"), "a,b");
    assertFinding(preflight().workspace(), "workspace", Level.OK);
  }

  @Test
  void unsetHfHomeIsAHintOnPersistingTheCache() {
    assertFinding(preflight().hfHome(), "hf-home", Level.HINT, "HF_HOME is not set", "-e HF_HOME=");
  }

  @Test
  void blankHfHomeCountsAsUnset() {
    env.put("HF_HOME", "  ");
    assertFinding(preflight().hfHome(), "hf-home", Level.HINT, "HF_HOME is not set");
  }

  @Test
  void hfHomeThatDoesNotExistIsAWarning() {
    String missing = tmp.resolve("cache").toString();
    env.put("HF_HOME", missing);
    assertFinding(
        preflight().hfHome(),
        "hf-home",
        Level.WARNING,
        "HF_HOME=" + missing,
        "not an existing directory",
        "lost",
        ":" + missing);
  }

  @Test
  void hfHomeThatIsAFileIsAWarning() throws IOException {
    env.put("HF_HOME", Files.writeString(tmp.resolve("cache"), "").toString());
    assertFinding(preflight().hfHome(), "hf-home", Level.WARNING, "not an existing directory");
  }

  @Test
  void unwritableHfHomeAsTheImagesUserNamesUserMappingAndAChownToThatUid() throws IOException {
    env.put("HF_HOME", Files.createDirectory(tmp.resolve("cache")).toString());
    host.writable = false;
    host.uid = 1000;
    host.gid = 1000;
    assertFinding(
        preflight().hfHome(),
        "hf-home",
        Level.WARNING,
        "not writable by uid 1000",
        "-Dnss.user=auto",
        "docker run --user $(id -u):$(id -g)",
        "sudo chown -R 1000:1000 <host cache dir>");
    assertFalse(
        preflight().hfHome().message.contains("chown -R $(id -u)"),
        "a chown to $(id -u) gives a root host's directory to root, not to the container");
  }

  @Test
  void unwritableHfHomeUnderAnotherUidDoesNotRepeatTheUserFlag() throws IOException {
    env.put("HF_HOME", Files.createDirectory(tmp.resolve("cache")).toString());
    host.writable = false;
    host.uid = 4321;
    host.gid = 50;
    Finding finding = preflight().hfHome();
    assertFinding(
        finding,
        "hf-home",
        Level.WARNING,
        "not writable by uid 4321",
        "already runs as uid 4321",
        "sudo chown -R 4321:50 <host cache dir>");
    assertFalse(finding.message.contains("--user"), finding.message);
    assertFalse(finding.message.contains("nss.user"), finding.message);
  }

  @Test
  void aChownNamesTheContainersGroupEvenWhenItIs0() {
    host.writable = false;
    host.uid = 1000;
    host.gid = 0;
    assertFinding(
        preflight().workspaceWritable(),
        "workspace-writable",
        Level.WARNING,
        "sudo chown -R 1000:0 <host dir>");
    host.gid = -1;
    assertFinding(
        preflight().workspaceWritable(),
        "workspace-writable",
        Level.WARNING,
        "sudo chown -R 1000:1000 <host dir>");
  }

  @Test
  void rootlessPodmanChownsThroughTheUserNamespace() {
    host.writable = false;
    host.uid = 1000;
    host.gid = 1000;
    host.engine = Engine.PODMAN;
    host.rootless = true;
    assertFinding(
        preflight().workspaceWritable(),
        "workspace-writable",
        Level.WARNING,
        "podman run --user",
        "podman unshare chown -R 1000:1000 <host dir>");
  }

  @Test
  void unwritableAsRootPointsAtTheMountNotAtOwnership() {
    host.writable = false;
    host.uid = 0;
    Finding finding = preflight().workspaceWritable();
    assertFinding(
        finding, "workspace-writable", Level.WARNING, "not writable by uid 0", "read-only");
    assertFalse(finding.message.contains("chown"), finding.message);
  }

  @Test
  void writableHfHomeIsFine() throws IOException {
    env.put("HF_HOME", Files.createDirectory(tmp.resolve("cache")).toString());
    assertFinding(preflight().hfHome(), "hf-home", Level.OK);
  }

  @Test
  void noTokenAnywhereIsAHintAboutGatedModels() throws IOException {
    assertFinding(hfToken(), "hf-token", Level.HINT, "gated models", "Llama", "-e HF_TOKEN");
  }

  @Test
  void tokenVariablesAreEnoughAndNeverPrinted() throws IOException {
    env.put("HF_TOKEN", "hf_secretvalue");
    Finding finding = hfToken();
    assertFinding(finding, "hf-token", Level.OK);
    assertFalse(finding.message.contains("hf_secretvalue"));
    assertFalse(finding.message.contains("14"));
    env.remove("HF_TOKEN");
    env.put("HUGGING_FACE_HUB_TOKEN", "hf_othersecret");
    finding = hfToken();
    assertFinding(finding, "hf-token", Level.OK);
    assertFalse(finding.message.contains("hf_othersecret"));
  }

  @Test
  void blankTokenVariablesDoNotCount() throws IOException {
    env.put("HF_TOKEN", " ");
    env.put("HUGGING_FACE_HUB_TOKEN", "");
    assertFinding(hfToken(), "hf-token", Level.HINT);
  }

  @Test
  void tokenFileAtHfTokenPath() throws IOException {
    Path file = Files.writeString(tmp.resolve("tok"), "hf_abc\n");
    env.put("HF_TOKEN_PATH", file.toString());
    assertFinding(hfToken(), "hf-token", Level.OK);
  }

  @Test
  void blankTokenFileDoesNotCount() throws IOException {
    Path file = Files.writeString(tmp.resolve("tok"), " \n\t\n");
    env.put("HF_TOKEN_PATH", file.toString());
    assertFinding(hfToken(), "hf-token", Level.HINT, file.toString());
  }

  @Test
  void hfTokenPathWinsOverHfHome() throws IOException {
    Path hfHome = Files.createDirectory(tmp.resolve("cache"));
    Files.writeString(hfHome.resolve("token"), "hf_abc");
    env.put("HF_HOME", hfHome.toString());
    env.put("HF_TOKEN_PATH", tmp.resolve("nothing-here").toString());
    assertFinding(hfToken(), "hf-token", Level.HINT, "nothing-here");
    env.remove("HF_TOKEN_PATH");
    assertFinding(hfToken(), "hf-token", Level.OK);
  }

  @Test
  void tokenFileUnderXdgCacheHomeThenHome() throws IOException {
    Path xdg = Files.createDirectories(tmp.resolve("xdg/huggingface"));
    Files.writeString(xdg.resolve("token"), "hf_abc");
    env.put("XDG_CACHE_HOME", tmp.resolve("xdg").toString());
    assertEquals(xdg.resolve("token"), HfTokenCheck.tokenFile(env));
    assertFinding(hfToken(), "hf-token", Level.OK);

    env.remove("XDG_CACHE_HOME");
    assertEquals(Path.of(env.get("HOME"), ".cache/huggingface/token"), HfTokenCheck.tokenFile(env));
    assertFinding(hfToken(), "hf-token", Level.HINT);
    Path home = Files.createDirectories(Path.of(env.get("HOME"), ".cache/huggingface"));
    Files.writeString(home.resolve("token"), "hf_abc");
    assertFinding(hfToken(), "hf-token", Level.OK);
  }

  @Test
  void unsetHomeMeansTmp() {
    env.remove("HOME");
    assertEquals(Path.of("/tmp/.cache/huggingface/token"), HfTokenCheck.tokenFile(env));
  }

  @Test
  void tokenPathThatIsAFifoIsNotReadAndDoesNotBlock() throws Exception {
    Path fifo = tmp.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, mkfifo.exitValue());
    env.put("HF_TOKEN_PATH", fifo.toString());
    assertFinding(hfToken(), "hf-token", Level.HINT);
  }

  @Test
  void noNvidiaSmiOnPathIsAWarning() {
    assertFinding(
        gpu(),
        "gpu",
        Level.WARNING,
        "nvidia-smi is not on PATH",
        "docker run --gpus all",
        "(podman: --device nvidia.com/gpu=all)");
  }

  @Test
  void noGpuRequestedOnPurposeIsNoProblemEvenOnPodman() {
    host.engine = Engine.PODMAN;
    env.put("NSS_GPU_REQUEST", "none");
    Finding finding = gpu();
    assertFinding(
        finding,
        "gpu",
        Level.OK,
        "no GPU requested (nss.gpuFlag is empty): the program runs without GPUs");
    assertFalse(finding.message.contains("podman"), finding.message);
  }

  @Test
  void aGpuRequestOtherThanNoneStillWarnsWithoutNvidiaSmi() {
    env.put("NSS_GPU_REQUEST", "all");
    assertFinding(gpu(), "gpu", Level.WARNING, "nvidia-smi is not on PATH");
  }

  @Test
  void noGpuRequestedButInjectedAnywayIsCheckedAsUsual() throws IOException {
    env.put("NSS_GPU_REQUEST", "none");
    executable(Path.of(env.get("PATH"), "nvidia-smi"));
    assertFinding(gpu(), "gpu", Level.WARNING, "no GPU was injected");
  }

  @Test
  void noGpuUnderDockerNamesDockersFlag() {
    host.engine = Engine.DOCKER;
    Finding finding = gpu();
    assertFinding(
        finding, "gpu", Level.WARNING, "docker run --gpus all ...", "-Dnss.gpuFlag=\"--gpus all\"");
    assertFalse(finding.message.contains("podman"), finding.message);
  }

  @Test
  void noGpuUnderPodmanNamesTheCdiDeviceAndTheSpec() {
    host.engine = Engine.PODMAN;
    Finding finding = gpu();
    assertFinding(
        finding,
        "gpu",
        Level.WARNING,
        "podman before 5 ignores --gpus",
        "podman run --device nvidia.com/gpu=all ...",
        "nvidia-ctk cdi generate",
        "-Dnss.gpuFlag=\"--device nvidia.com/gpu=all\"");
  }

  @Test
  void nonExecutableNvidiaSmiDoesNotCount() throws IOException {
    Files.writeString(Path.of(env.get("PATH"), "nvidia-smi"), "#!/bin/sh\n");
    assertFinding(gpu(), "gpu", Level.WARNING, "nvidia-smi is not on PATH");
  }

  @Test
  void nvidiaSmiWithoutDeviceNodesMeansGpusNotInjected() throws IOException {
    executable(Path.of(env.get("PATH"), "nvidia-smi"));
    Finding finding = gpu();
    assertFinding(
        finding,
        "gpu",
        Level.WARNING,
        "a GPU flag was passed, but no GPU was injected",
        "nvidia-ctk runtime configure --runtime=docker",
        dev.resolve("nvidiactl").toString());
    assertFalse(
        finding.message.contains("--gpus"), "the flag was passed already: " + finding.message);
    Files.createFile(dev.resolve("nvidiactl"));
    assertFinding(gpu(), "gpu", Level.WARNING, "no GPU was injected");
    host.engine = Engine.PODMAN;
    assertFinding(
        gpu(),
        "gpu",
        Level.WARNING,
        "regenerate the CDI spec",
        "nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml");
  }

  @Test
  void deviceNodesAreLookedForUpToNvidia63() throws IOException {
    executable(Path.of(env.get("PATH"), "nvidia-smi"));
    Files.createFile(dev.resolve("nvidiactl"));
    Files.createFile(dev.resolve("nvidia64"));
    assertFinding(gpu(), "gpu", Level.WARNING, "no GPU was injected");
    Files.createFile(dev.resolve("nvidia63"));
    assertFinding(gpu(), "gpu", Level.OK);
  }

  @Test
  void nvidiaSmiAndDeviceNodesAreFine() throws IOException {
    env.put("PATH", "/nonexistent:" + env.get("PATH"));
    executable(Path.of(tmp.resolve("bin").toString(), "nvidia-smi"));
    Files.createFile(dev.resolve("nvidiactl"));
    Files.createFile(dev.resolve("nvidia3"));
    assertFinding(gpu(), "gpu", Level.OK);
  }

  @Test
  void missingShmIsAWarning() throws IOException {
    env.put("NSS_SHM_PATH", tmp.resolve("no-shm").toString());
    assertFinding(preflight().shm(), "shm", Level.WARNING, "does not exist", "--shm-size=1g");
  }

  @Test
  void smallShmIsAWarningWithItsSize() throws IOException {
    env.put("NSS_SHM_PATH", tmp.toString());
    host.totalSpace = 64L * 1024 * 1024;
    assertFinding(
        preflight().shm(), "shm", Level.WARNING, " is only 64 MB (", "--shm-size=1g", "--ipc=host");
    host.totalSpace = 1L << 30;
    assertFinding(preflight().shm(), "shm", Level.OK, " is 1024 MB");
  }

  @Test
  void shmThresholdIs256MiB() {
    assertEquals(
        Level.WARNING, Preflight.shmFinding(tmp, 256L * 1024 * 1024 - 1, Engine.DOCKER).level);
    assertEquals(Level.OK, Preflight.shmFinding(tmp, 256L * 1024 * 1024, Engine.DOCKER).level);
  }

  @Test
  void shmSizeComesFromTheRealFileStore() throws IOException {
    env.put("NSS_SHM_PATH", tmp.toString());
    long total = new Host().totalSpace(tmp);
    assertEquals(Files.getFileStore(tmp).getTotalSpace(), total);
    assertTrue(total > 0);
  }

  @Test
  void unwritableWorkspaceIsAWarning() {
    host.writable = false;
    host.uid = 999;
    assertFinding(
        preflight().workspaceWritable(),
        "workspace-writable",
        Level.WARNING,
        "not writable by uid 999",
        "outputs cannot be saved",
        "sudo chown -R 1234:1234 <host dir>".replace("1234:1234", "999:1234"));
  }

  @Test
  void unknownUidIsNotPrintedAsANumber() {
    host.writable = false;
    host.uid = -1;
    assertFinding(
        preflight().workspaceWritable(),
        "workspace-writable",
        Level.WARNING,
        "not writable by the current user",
        "-Dnss.user=auto");
  }

  @Test
  void writableOrMissingWorkspaceIsNotReportedTwice() {
    assertFinding(preflight().workspaceWritable(), "workspace-writable", Level.OK);
    env.put("NSS_WORKSPACE", tmp.resolve("absent").toString());
    host.writable = false;
    assertFinding(preflight().workspaceWritable(), "workspace-writable", Level.OK);
  }

  @Test
  void realHostKnowsItsIds() throws IOException {
    assertEquals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"), (int) new Host().uid());
    assertEquals(Files.getAttribute(Path.of("/proc/self"), "unix:gid"), (int) new Host().gid());
  }

  @Test
  void hintsNameTheEnginesCommand() throws IOException {
    host.engine = Engine.PODMAN;
    env.put("NSS_WORKSPACE", tmp.resolve("absent").toString());
    assertFinding(preflight().workspace(), "workspace", Level.WARNING, "podman run -v ");
    assertFinding(preflight().hfHome(), "hf-home", Level.HINT, "podman run -v ");
    assertFinding(hfToken(), "hf-token", Level.HINT, "podman run -e HF_TOKEN");
    env.put("NSS_SHM_PATH", tmp.resolve("no-shm").toString());
    assertFinding(preflight().shm(), "shm", Level.WARNING, "podman run --shm-size=1g");
  }

  @Test
  void engineMarkers() {
    assertEquals(Engine.DOCKER, Engine.of(true, false, null));
    assertEquals(Engine.PODMAN, Engine.of(false, true, null));
    assertEquals(Engine.PODMAN, Engine.of(false, false, "podman"));
    assertEquals(Engine.PODMAN, Engine.of(true, true, null), "podman's marker wins");
    assertEquals(Engine.UNKNOWN, Engine.of(false, false, "docker"));
    assertEquals(Engine.UNKNOWN, Engine.of(false, false, null));
  }

  @Test
  void allChecksRunInTheIssuesOrderWithDurations() {
    long before = System.nanoTime();
    List<Finding> findings = preflight().runAll();
    long took = System.nanoTime() - before;
    assertEquals(
        List.of(
            "workspace", "hf-home", "hf-token", "gpu", "cuda-driver", "shm", "workspace-writable"),
        findings.stream().map(f -> f.id).toList());
    for (Finding finding : findings) {
      assertTrue(
          finding.durationNanos >= 0 && finding.durationNanos <= took,
          finding.id + " took " + finding.durationNanos + " ns of " + took);
    }
  }

  @Test
  void aCheckThatFailsBecomesAHintAndTheOthersStillRun() {
    env.put("NSS_SHM_PATH", tmp.toString());
    host.totalSpaceFailure = new IOException("statvfs failed");
    List<Finding> findings = preflight().runAll();
    assertEquals(7, findings.size());
    assertFinding(findings.get(5), "shm", Level.HINT, "could not run", "statvfs failed");
    assertEquals("workspace-writable", findings.get(6).id);
  }

  @Test
  void workspaceSymlinkLoopIsReportedAsMissing() throws IOException {
    Path notListable = tmp.resolve("loop");
    Files.createSymbolicLink(notListable, notListable);
    env.put("NSS_WORKSPACE", notListable.toString());
    Finding finding = preflight().runAll().get(0);
    assertFinding(finding, "workspace", Level.WARNING, "does not exist");
  }

  static Path executable(Path file) throws IOException {
    Files.writeString(file, "#!/bin/sh\nexit 0\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
