package dev.nss.container;

import static dev.nss.container.Fixture.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact argv of every goal, for the defaults and for each override. */
class GoalArgvTest {

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered(
        "docker", "/usr/bin/docker", "podman"); // the question before a build: EngineQuestionTest
  }

  static List<String> concat(List<String> a, String... more) {
    List<String> all = new ArrayList<>(a);
    all.addAll(Arrays.asList(more));
    return all;
  }

  @Test
  void buildGpuDefaultsAreTheMakefileCommand() throws Exception {
    f.goals().buildGpu(f.settings(), false);
    assertEquals(
        List.of(
            argv(
                "docker",
                "build",
                "--platform",
                "linux/amd64",
                "--tag",
                "nss-gpu:latest",
                "--target",
                "runtime",
                "--progress=plain",
                "-f",
                "containers/Dockerfile.cuda",
                ".")),
        f.processes.calls);
  }

  @Test
  void buildGpuDevUsesDevTagAndStage() throws Exception {
    f.goals().buildGpu(f.settings(), true);
    assertEquals(List.of(devBuild()), f.processes.calls);
  }

  @Test
  void buildGpuOverrides() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(f.project.resolve("my.Dockerfile"), "FROM scratch\n");
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("CUDA_IMAGE_REPO", "mirror.example/nvidia/cuda");
    extra.put("EMPTY", null);
    GoalSettings s =
        f.settings()
            .cli("/usr/bin/docker")
            .image("registry.example:5000/team/nss:1.0")
            .platform("linux/arm64/v8")
            .dockerfile("my.Dockerfile")
            .context(other.toString())
            .cudaVersion("12.4.1")
            .ubuntuVersion("24.04")
            .cudaImageType("devel")
            .pythonVersion("3.12")
            .uvVersion("0.9.15")
            .cudaArchFlags("80;90a")
            .entrypointBuild("jvm")
            .buildArgs(extra)
            .projectVersion("1.2.3")
            .outputTimestamp("1700000000");
    f.goals().buildGpu(s, false);
    assertEquals(
        List.of(
            argv(
                "/usr/bin/docker",
                "build",
                "--platform",
                "linux/arm64/v8",
                "--tag",
                "registry.example:5000/team/nss:1.0",
                "--target",
                "runtime",
                "--progress=plain",
                "--build-arg",
                "CUDA_VERSION=12.4.1",
                "--build-arg",
                "UBUNTU_VERSION=24.04",
                "--build-arg",
                "CUDA_IMAGE_TYPE=devel",
                "--build-arg",
                "PYTHON_VERSION=3.12",
                "--build-arg",
                "UV_VERSION=0.9.15",
                "--build-arg",
                "CUDA_ARCH_FLAGS=80;90a",
                "--build-arg",
                "NSS_ENTRYPOINT_BUILD=jvm",
                "--build-arg",
                "CUDA_IMAGE_REPO=mirror.example/nvidia/cuda",
                "--build-arg",
                "EMPTY=",
                "--label",
                "org.opencontainers.image.version=1.2.3",
                "--label",
                "org.opencontainers.image.created=2023-11-14T22:13:20Z",
                "-f",
                "my.Dockerfile",
                other.toString())),
        f.processes.calls);
  }

  @Test
  void revisionLabelComesFromGitHead() throws Exception {
    Path git = Files.createDirectories(f.project.resolve(".git/refs/heads"));
    Files.writeString(f.project.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    String sha = "0123456789abcdef0123456789abcdef01234567";
    Files.writeString(git.resolve("main"), sha + "\n");
    f.goals()
        .buildGpu(
            f.settings().projectVersion("2.0").outputTimestamp("2026-11-25T00:00:00Z"), false);
    List<String> call = f.processes.calls.get(0);
    int at = call.indexOf("--label");
    assertEquals(
        argv(
            "--label",
            "org.opencontainers.image.version=2.0",
            "--label",
            "org.opencontainers.image.revision=" + sha,
            "--label",
            "org.opencontainers.image.created=2026-11-25T00:00:00Z"),
        call.subList(at, at + 6));
  }

  @Test
  void buildTestIsAlwaysAmd64WithoutTarget() throws Exception {
    f.goals().buildTest(f.settings().platform("linux/arm64").projectVersion("1"));
    assertEquals(
        List.of(
            argv(
                "docker",
                "build",
                "--platform",
                "linux/amd64",
                "--tag",
                "nss-test:latest",
                "--progress=plain",
                "-f",
                "containers/Dockerfile.test_ci",
                ".")),
        f.processes.calls);
  }

  @Test
  void buildTestOverrides() throws Exception {
    Files.writeString(f.project.resolve("T.Dockerfile"), "FROM scratch\n");
    f.goals()
        .buildTest(
            f.settings()
                .cli("podman")
                .testImage("my-test:1")
                .testDockerfile("T.Dockerfile")
                .pythonVersion("3.11.13"));
    assertEquals(
        List.of(
            argv(
                "podman",
                "build",
                "--platform",
                "linux/amd64",
                "--tag",
                "my-test:1",
                "--progress=plain",
                "--build-arg",
                "PYTHON_VERSION=3.11.13",
                "-f",
                "T.Dockerfile",
                ".")),
        f.processes.calls);
  }

  /** The default build of the dev image, as build-gpu-dev and the dev run goals run it. */
  static List<String> devBuild() {
    return argv(
        "docker",
        "build",
        "--platform",
        "linux/amd64",
        "--tag",
        "nss-gpu-dev:latest",
        "--target",
        "dev",
        "--progress=plain",
        "-f",
        "containers/Dockerfile.cuda",
        ".");
  }

  /**
   * {@code CLI create --rm --name nss-run-test} and the owner's labels; podman without {@code
   * --rm}: the goal removes its container after {@code start}.
   */
  static List<String> create(String cli) {
    return concat(
        cli.endsWith("podman") ? argv(cli, "create") : argv(cli, "create", "--rm"),
        "--name",
        "nss-run-test",
        "--pull=never",
        "--label",
        "dev.nss.maven-pid=4242",
        "--label",
        "dev.nss.maven-start=1700000000000",
        "--label",
        "dev.nss.boot-id=boot-1",
        "--label",
        "dev.nss.host=host-1");
  }

  /**
   * The pull step's question before a run of an image the goal did not build: is it in the local
   * store? (The fake says yes: nothing is pulled.)
   */
  static List<String> inspect(String cli, String image) {
    return argv(cli, "image", "inspect", "--format", "{{.Id}}", image);
  }

  static List<String> start(String cli, String... flags) {
    return concat(concat(argv(cli, "start", "--attach"), flags), "id-nss-run-test");
  }

  private List<String> runDefaults(String image) {
    return concat(
        create("docker"),
        "--platform",
        "linux/amd64",
        "--shm-size=1g",
        "--mount",
        "type=bind,source=" + f.project + ",target=/workspace",
        "--mount",
        "type=bind,source=" + f.hfCache + ",target=/workspace/.hf_cache",
        "-e",
        "HF_HOME=/workspace/.hf_cache",
        "-e",
        "DEBIAN_FRONTEND=noninteractive",
        "--gpus",
        "all",
        "-w",
        "/workspace",
        image);
  }

  @Test
  void runGpuBuildsMakesTheCacheCreatesAndStarts() throws Exception {
    f.goals().runGpu(f.settings(), false, false);
    assertEquals(
        3,
        f.processes.calls.size(),
        f.processes.calls.toString()); // build, create, start (mkdir is Java)
    assertEquals("build", f.processes.calls.get(0).get(1));
    assertEquals(concat(runDefaults("nss-gpu:latest"), "--help"), f.processes.calls.get(1));
    assertEquals(start("docker"), f.processes.calls.get(2));
    assertTrue(Files.isDirectory(f.hfCache));
    assertTrue(
        Files.isDirectory(f.project.resolve(".hf_cache")), "the mount point, made by Maven's user");
    assertTrue(
        f.log.contains("mkdir -p " + f.hfCache + " " + f.project.resolve(".hf_cache")),
        f.log.toString());
    assertTrue(f.log.contains("docker start --attach id-nss-run-test"), f.log.toString());
  }

  @Test
  void runGpuDevDefaults() throws Exception {
    f.goals().runGpu(f.settings(), true, false);
    assertEquals(devBuild(), f.processes.calls.get(0));
    assertEquals(
        concat(runDefaults("nss-gpu-dev:latest"), "make", "test"), f.processes.calls.get(1));
    assertEquals(start("docker"), f.processes.calls.get(2));
  }

  @Test
  void runGpuOverrides() throws Exception {
    GoalSettings s =
        f.settings()
            .cli("podman")
            .image("other:2")
            .platform("linux/arm64")
            .shmSize("64m")
            .gpuFlag("--device nvidia.com/gpu=all")
            .extraMounts("-v \"/data dir:/data:ro\" --mount 'type=bind,source=$HOME,target=/h'")
            .cmdLine("generate --config 'my config.yaml' \"\" ü")
            .interactive(true);
    f.goals().cdiHost(PodmanGpusTest.hostWithNvidiaSpec(tmp)).runGpu(s, false, true);
    assertEquals(
        List.of(
            inspect("podman", "other:2"),
            concat(
                create("podman"),
                "--interactive",
                "--tty",
                "--platform",
                "linux/arm64",
                "--shm-size=64m",
                "--mount",
                "type=bind,source=" + f.project + ",target=/workspace",
                "--mount",
                "type=bind,source=" + f.hfCache + ",target=/workspace/.hf_cache",
                "-e",
                "HF_HOME=/workspace/.hf_cache",
                "-e",
                "DEBIAN_FRONTEND=noninteractive",
                "--device",
                "nvidia.com/gpu=all",
                "-v",
                "/data dir:/data:ro",
                "--mount",
                "type=bind,source=$HOME,target=/h",
                "-w",
                "/workspace",
                "other:2",
                "generate",
                "--config",
                "my config.yaml",
                "",
                "ü"),
            start("podman", "--interactive"),
            argv("podman", "logs", "id-nss-run-test"), // what the terminal missed, if anything
            argv("podman", "rm", "-f", "--time", "0", "id-nss-run-test")),
        f.processes.calls);
  }

  @Test
  void emptyGpuFlagMeansNoGpuAndEmptyCmdMeansNone() throws Exception {
    f.goals().runGpu(f.settings().gpuFlag("").cmdLine(""), false, true);
    List<String> expected = new ArrayList<>(runDefaults("nss-gpu:latest"));
    // No GPU flag, and the agent is told that none was requested (it then gives no GPU hint).
    int gpus = expected.indexOf("--gpus");
    expected.subList(gpus, gpus + 2).clear();
    expected.addAll(gpus, List.of("-e", "NSS_GPU_REQUEST=none"));
    assertEquals(
        List.of(inspect("docker", "nss-gpu:latest"), expected, start("docker")), f.processes.calls);
  }

  @Test
  void cmdListWinsAndIsExact() throws Exception {
    f.goals()
        .runGpu(
            f.settings().cmdLine("ignored words").cmd(Arrays.asList("a b", null, "'q'")),
            false,
            true);
    List<String> call = f.processes.verbs("create").get(0);
    assertEquals(
        argv("nss-gpu:latest", "a b", "", "'q'"), call.subList(call.size() - 4, call.size()));
  }

  @Test
  void secretsArePassedByNameOnly() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HF_TOKEN", "hf_s3cr3t_value");
    env.put("NSS_INFERENCE_KEY", "nvapi-s3cr3t");
    env.put("HUGGING_FACE_HUB_TOKEN", "hub-s3cr3t");
    env.put("OTHER", "x");
    f.goals().runGpu(f.settings().environment(env), false, true);
    List<String> call = f.processes.verbs("create").get(0);
    int at = call.indexOf("DEBIAN_FRONTEND=noninteractive") + 1;
    assertEquals(
        argv("-e", "HF_TOKEN", "-e", "HUGGING_FACE_HUB_TOKEN", "-e", "NSS_INFERENCE_KEY"),
        call.subList(at, at + 6));
    String everything = String.join("\n", f.log) + String.join(" ", call) + f.stderr();
    assertFalse(everything.contains("s3cr3t"), everything);
  }

  /** The flags {@code nss.user} adds, between {@code --shm-size} and the workspace mount. */
  private List<String> userFlags(GoalSettings s) throws Exception {
    f.processes.calls.clear();
    f.goals().cdiHost(PodmanGpusTest.hostWithNvidiaSpec(tmp)).runGpu(s, false, true);
    List<String> call = f.processes.verbs("create").get(0);
    return call.subList(call.indexOf("--shm-size=1g") + 1, call.indexOf("--mount"));
  }

  private static final List<String> UNPRIVILEGED_ROOT =
      argv("--user", "0:0", "--cap-drop=ALL", "--security-opt=no-new-privileges");

  /**
   * What a rootless docker daemon answers to {@code docker info --format {{json
   * .SecurityOptions}}}.
   */
  private static final String ROOTLESS_DOCKER =
      "echo '[\"name=seccomp,profile=default\",\"name=rootless\",\"name=cgroupns\"]'";

  @Test
  void userAutoIsTheInvokingUserAndRootIsNeverPrivileged() throws Exception {
    assertEquals(
        UNPRIVILEGED_ROOT,
        userFlags(f.settings().hostUser(0, 0)),
        "root (CI runner, sudo mvn) on rootful docker: root's files, no capabilities");
    assertEquals(
        argv("--user", "1001:121", "-e", "HOME=/tmp"),
        userFlags(f.settings().hostUser(1001, 121)),
        "a hosted runner's uid 1001");
    assertEquals(
        argv("--user", "1000:1000", "-e", "HOME=/tmp"),
        userFlags(f.settings().hostUser(1000, 1000)),
        "a desktop's uid 1000");
    assertEquals(
        UNPRIVILEGED_ROOT, userFlags(f.settings().cli("podman").hostUser(0, 0)), "rootful podman");
    assertEquals(
        argv("--userns=keep-id", "--user", "1001:121", "-e", "HOME=/tmp"),
        userFlags(f.settings().cli("/usr/bin/podman").hostUser(1001, 121)),
        "rootless podman");
    assertEquals(argv(), userFlags(f.settings().hostUser(-1, -1)), "uid unknown: the image's user");
    assertEquals(argv(), userFlags(f.settings().user("auto").hostUser(-1, -1)));
  }

  @Test
  void dockersModeIsAskedOnceInPlanningAndRootlessDockerRunsAsItsUnprivilegedRoot()
      throws Exception {
    f.processes.on("info", ROOTLESS_DOCKER);
    for (long uid : new long[] {0, 1000, 1001}) {
      assertEquals(
          UNPRIVILEGED_ROOT, userFlags(f.settings().hostUser(uid, uid)), "rootless, uid " + uid);
      assertEquals(
          argv("docker", "info", "--format", "{{json .SecurityOptions}}"),
          f.processes.calls.get(0),
          "asked before the build");
      assertEquals(1, f.processes.verbs("info").size());
    }
    assertTrue(
        f.log.contains(
            "The docker engine is rootless: its container root is you, so the program runs as it,"
                + " without capabilities"),
        f.log.toString());
    assertEquals(
        argv("--user", "1001:121", "-e", "HOME=/tmp"),
        userFlags(f.settings().user("1001:121").hostUser(1001, 121)),
        "explicit ids are used as given");
    assertEquals(List.of(), f.processes.verbs("info"), "and need no answer");
    assertEquals(
        argv("--userns=keep-id", "--user", "1001:121", "-e", "HOME=/tmp"),
        userFlags(f.settings().cli("podman").hostUser(1001, 121)));
    assertEquals(List.of(), f.processes.verbs("info"), "podman's mode follows from the user");

    f.processes.calls.clear();
    f.dryRun = true;
    f.goals().runGpu(f.settings().hostUser(1001, 121), false, true);
    assertEquals(
        List.of(
            argv("docker", "info", "--format", "{{json .SecurityOptions}}"),
            inspect("docker", "nss-gpu:latest")),
        f.processes.calls,
        "a dry run asks too (and whether the image is local), and runs nothing else");
    assertTrue(
        f.log.stream()
            .anyMatch(
                l ->
                    l.startsWith("[dry-run] docker create ")
                        && l.contains(
                            " --user 0:0 --cap-drop=ALL --security-opt=no-new-privileges ")),
        f.log.toString());
  }

  @Test
  void anEngineThatDoesNotAnswerKeepsTheRootfulFlags() throws Exception {
    f.processes.on("info", "exit 1");
    assertEquals(UNPRIVILEGED_ROOT, userFlags(f.settings().hostUser(0, 0)));
    assertEquals(
        argv("--user", "1001:121", "-e", "HOME=/tmp"), userFlags(f.settings().hostUser(1001, 121)));
  }

  @Test
  void testCiFollowsNssUser() throws Exception {
    for (Object[] c :
        new Object[][] {
          {0L, UNPRIVILEGED_ROOT},
          {1001L, argv("--user", "1001:1001", "-e", "HOME=/tmp")},
          {1000L, argv("--user", "1000:1000", "-e", "HOME=/tmp")}
        }) {
      long uid = (Long) c[0];
      f.processes.calls.clear();
      f.goals().testCi(f.settings().hostUser(uid, uid), true);
      List<String> call = f.processes.verbs("create").get(0);
      assertEquals(
          c[1],
          call.subList(call.indexOf("linux/amd64") + 1, call.indexOf("--mount")),
          "uid " + uid);
    }
    f.processes.calls.clear();
    f.goals().testCi(f.settings().user("image").hostUser(0, 0), true);
    List<String> call = f.processes.verbs("create").get(0);
    assertEquals("--mount", call.get(call.indexOf("linux/amd64") + 1), "image: the image's user");
  }

  @Test
  void userImageAddsNothingAndExplicitIdsAreUsedAsGiven() throws Exception {
    assertEquals(argv(), userFlags(f.settings().user("image").hostUser(1001, 121)));
    assertEquals(
        argv("--user", "1000:1000", "-e", "HOME=/tmp"),
        userFlags(f.settings().user("1000:1000").hostUser(0, 0)));
    assertEquals(
        argv("--user", "0:0"),
        userFlags(f.settings().user(" 0:0 ").cli("podman").hostUser(1001, 121)));
  }

  @Test
  void userOtherThanAutoImageOrIdsIsRefusedBeforeAnyEngineCall() {
    for (String bad : List.of("appuser", "1000", "1000:", "-1:0", "1000:1000:1", "auto ,")) {
      InvalidSettingException e =
          assertThrows(
              InvalidSettingException.class,
              () -> f.goals().runGpu(f.settings().user(bad).hostUser(0, 0), false, false),
              bad);
      assertTrue(
          e.getMessage()
              .startsWith("nss.user: is '" + bad.strip() + "', not auto, image or UID:GID"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("numeric ids such as 1000:1000."), e.getMessage());
    }
    assertEquals(List.of(), f.processes.calls);
  }

  @Test
  void shellIsBashInTheDevImageWithATerminalAndTheRunFlags() throws Exception {
    Map<String, String> env = Map.of("HF_TOKEN", "hf_s3cr3t");
    f.goals().shell(f.settings().interactive(true).hostUser(1001, 121).environment(env), false);
    assertEquals(devBuild(), f.processes.verbs("build").get(0));
    assertEquals(
        concat(
            create("docker"),
            "--interactive",
            "--tty",
            "--platform",
            "linux/amd64",
            "--shm-size=1g",
            "--user",
            "1001:121",
            "-e",
            "HOME=/tmp",
            "--mount",
            "type=bind,source=" + f.project + ",target=/workspace",
            "--mount",
            "type=bind,source=" + f.hfCache + ",target=/workspace/.hf_cache",
            "-e",
            "HF_HOME=/workspace/.hf_cache",
            "-e",
            "DEBIAN_FRONTEND=noninteractive",
            "-e",
            "HF_TOKEN",
            "--gpus",
            "all",
            "--entrypoint",
            "/bin/bash",
            "-w",
            "/workspace",
            "nss-gpu-dev:latest"),
        f.processes.verbs("create").get(0));
    assertEquals(start("docker", "--interactive"), f.processes.verbs("start").get(0));
    f.processes.calls.clear();
    f.goals().shell(f.settings().interactive(true).cmdLine("-c 'make test'"), true);
    List<String> create = f.processes.verbs("create").get(0);
    assertEquals(
        argv("/bin/bash", "-w", "/workspace", "nss-gpu-dev:latest", "-c", "make test"),
        create.subList(create.size() - 6, create.size()));
  }

  @Test
  void shellRefusesWithoutATerminal() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> f.goals().shell(f.settings().interactive(false), false));
    assertTrue(
        e.getMessage().startsWith("nss.interactive: is false: nss:shell needs a terminal"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("-Dnss.interactive=true forces it."), e.getMessage());
    assertEquals(List.of(), f.processes.calls);
  }

  @Test
  void mountSourceWithCommaIsQuotedForTheCsvParser() {
    assertEquals("type=bind,\"source=/a,b\",target=/w", Commands.bindMount(Path.of("/a,b"), "/w"));
  }

  @Test
  void testCiBuildsThenRunsMakeTestCi() throws Exception {
    f.goals().testCi(f.settings(), false);
    assertEquals(
        List.of(
            argv(
                "docker",
                "build",
                "--platform",
                "linux/amd64",
                "--tag",
                "nss-test:latest",
                "--progress=plain",
                "-f",
                "containers/Dockerfile.test_ci",
                "."),
            concat(
                create("docker"),
                "--platform",
                "linux/amd64",
                "--mount",
                "type=bind,source=" + f.project + ",target=/workspace",
                "-w",
                "/workspace",
                "nss-test:latest",
                "make",
                "test-ci"),
            start("docker")),
        f.processes.calls);
  }

  @Test
  void testCiOverrides() throws Exception {
    f.goals().testCi(f.settings().testImage("t:1").cmdLine("pytest -k 'not slow'"), true);
    assertEquals(
        List.of(
            inspect("docker", "t:1"),
            concat(
                create("docker"),
                "--platform",
                "linux/amd64",
                "--mount",
                "type=bind,source=" + f.project + ",target=/workspace",
                "-w",
                "/workspace",
                "t:1",
                "pytest",
                "-k",
                "not slow"),
            start("docker")),
        f.processes.calls);
  }
}
