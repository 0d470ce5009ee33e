package dev.nss.container;

import dev.nss.engine.Engine;
import dev.nss.engine.RunOwner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The argv of every build and run command the goals run, in the upstream Makefile's order ({@link
 * RegistryCommands}: the registry's). Element 0 is the CLI. Paths under the working directory are
 * written relative to it, as make would.
 */
public final class Commands {

  /** Where the project is mounted in the container, and the working directory of every run. */
  public static final String WORKSPACE = "/workspace";

  /**
   * The HF cache's mount point in the project directory (so in {@link #WORKSPACE}), as upstream.
   */
  public static final String HF_CACHE_DIR = ".hf_cache";

  /** Where the HF cache is mounted in the container. */
  public static final String HF_CACHE_TARGET = WORKSPACE + "/" + HF_CACHE_DIR;

  /**
   * Tells the image's agent that a GPU run was asked for no GPU ({@code nss.gpuFlag} empty), so
   * that it does not hint at a missing GPU flag.
   */
  public static final String NO_GPU_REQUESTED = "NSS_GPU_REQUEST=none";

  /** The words of {@link #run} between the CLI and the container's name. */
  public static final List<String> RUN = List.of("run", "--rm", "--name");

  private Commands() {}

  /** build-gpu, build-gpu-dev and build-test. */
  public static List<String> build(BuildSpec spec) {
    List<String> argv = new ArrayList<>();
    argv.add(spec.cli());
    argv.add("build");
    argv.add("--platform");
    argv.add(spec.platform());
    argv.add("--tag");
    argv.add(spec.tag());
    addOption(argv, "--target", spec.target());
    argv.add("--progress=plain");
    argv.addAll(spec.cache().buildFlags(spec.cli()));
    addInputs(argv, spec.inputs());
    return argv;
  }

  /** build-gpu-multiarch with buildx: one build for every platform, pushed under every tag. */
  public static List<String> multiArchBuild(MultiArchSpec spec, Path metadataFile) {
    List<String> argv = new ArrayList<>();
    argv.add(spec.cli());
    argv.add("buildx");
    argv.add("build");
    addOption(argv, "--builder", spec.builder());
    argv.add("--platform");
    argv.add(spec.platforms());
    for (String tag : spec.destination().tags()) {
      argv.add("--tag");
      argv.add(spec.destination().reference(tag));
    }
    argv.add("--target");
    argv.add(spec.stage());
    argv.add("--progress=plain");
    argv.add("--push");
    argv.add("--metadata-file");
    argv.add(metadataFile.toString());
    argv.addAll(spec.cache().buildxFlags());
    addInputs(argv, spec.inputs());
    return argv;
  }

  /**
   * build-gpu-multiarch without buildx (docker): the build of one platform, tagged for its own
   * push.
   */
  public static List<String> platformBuild(MultiArchSpec spec, String platform, String tag) {
    return build(
        new BuildSpec(spec.cli(), platform, tag, spec.stage(), spec.inputs(), true, spec.cache()));
  }

  /**
   * build-gpu-multiarch with podman: every platform in one build, collected in the local manifest
   * list {@code list}.
   */
  public static List<String> manifestBuild(MultiArchSpec spec, String list) {
    List<String> argv = new ArrayList<>();
    argv.add(spec.cli());
    argv.add("build");
    argv.add("--platform");
    argv.add(spec.platforms());
    argv.add("--manifest");
    argv.add(list);
    argv.add("--target");
    argv.add(spec.stage());
    argv.addAll(spec.cache().buildFlags(spec.cli()));
    addInputs(argv, spec.inputs());
    return argv;
  }

  /**
   * podman: gives a built image its labels, with {@code dir/Containerfile} = {@code FROM <the
   * image>}.
   */
  public static List<String> relabel(BuildSpec spec, Path dir) {
    List<String> argv =
        new ArrayList<>(
            List.of(spec.cli(), "build", "--platform", spec.platform(), "--tag", spec.tag()));
    addPairs(argv, "--label", spec.inputs().labels());
    argv.add("-f");
    argv.add(dir.resolve("Containerfile").toString());
    argv.add(dir.toString());
    return argv;
  }

  /**
   * {@code CONTAINER run} of a spec: the upstream Makefile's command line, for scripts that run the
   * container themselves (the goals create and start it instead, see {@link #create}).
   */
  public static List<String> run(RunSpec spec) {
    List<String> argv = new ArrayList<>();
    argv.add(spec.cli());
    argv.addAll(RUN);
    argv.add(spec.name());
    argv.addAll(runOptions(spec));
    argv.add(spec.image());
    argv.addAll(spec.cmd());
    return argv;
  }

  /**
   * run-gpu, run-gpu-dev, shell and test-ci, first step: {@code CONTAINER create} with the run's
   * flags and the labels that name the Maven process owning the container. It prints the id;
   * nothing runs until {@link #start}. It never pulls ({@code --pull=never}, docker 20.10 or newer
   * and podman): a pull is a step of its own ({@link Step.Pull}), so a create takes seconds. Docker
   * removes the container when it ends ({@code --rm}); podman's {@code --rm} removes it while
   * {@code start --attach} may still be copying its output and reading its exit code (podman 4.3
   * under load: output lost), so the goal removes a podman container itself once {@code start} has
   * returned.
   */
  public static List<String> create(RunSpec spec, RunOwner owner) {
    List<String> argv = new ArrayList<>(List.of(spec.cli(), "create"));
    if (!Engine.isPodman(spec.cli())) {
      argv.add("--rm");
    }
    argv.addAll(List.of("--name", spec.name(), "--pull=never"));
    for (String label : owner.labels()) {
      argv.add("--label");
      argv.add(label);
    }
    argv.addAll(runOptions(spec));
    argv.add(spec.image());
    argv.addAll(spec.cmd());
    return argv;
  }

  /**
   * Second step: starts the created container with the user's terminal attached; exits with the
   * program's code.
   */
  public static List<String> start(String cli, String container, boolean interactive) {
    List<String> argv = new ArrayList<>(List.of(cli, "start", "--attach"));
    if (interactive) {
      argv.add("--interactive");
    }
    argv.add(container);
    return argv;
  }

  /**
   * podman, after a run with a terminal: the container's output as its log holds it, to print what
   * the terminal missed ({@link TerminalOutput}).
   */
  public static List<String> logs(String cli, String container) {
    return List.of(cli, "logs", container);
  }

  /**
   * The flags between the container's name and its image, shared by {@link #run} and {@link
   * #create}: what comes before the GPU flags, the GPU flags, what comes after them.
   */
  static List<String> runOptions(RunSpec spec) {
    List<String> argv = optionsBeforeGpus(spec);
    argv.addAll(spec.gpuFlags());
    argv.addAll(optionsAfterGpus(spec));
    return argv;
  }

  /** The flags between the container's name and its GPU flags. */
  public static List<String> optionsBeforeGpus(RunSpec spec) {
    List<String> argv = new ArrayList<>();
    if (spec.interactive()) {
      argv.add("--interactive");
      argv.add("--tty");
    }
    addOption(argv, "--platform", spec.platform());
    if (spec.shmSize() != null) {
      argv.add("--shm-size=" + spec.shmSize());
    }
    argv.addAll(spec.userFlags());
    argv.add("--mount");
    argv.add(bindMount(spec.workspace(), WORKSPACE));
    if (spec.hfCache() != null) { // the GPU runs; test-ci runs with the project only
      argv.add("--mount");
      argv.add(bindMount(spec.hfCache(), HF_CACHE_TARGET));
      argv.add("-e");
      argv.add("HF_HOME=" + HF_CACHE_TARGET);
      argv.add("-e");
      argv.add("DEBIAN_FRONTEND=noninteractive");
    }
    for (String name : spec.passEnv()) {
      argv.add("-e");
      argv.add(name); // by name only: the CLI reads the value from its environment
    }
    if (spec.hfCache() != null && spec.gpuFlags().isEmpty()) {
      argv.add("-e");
      argv.add(NO_GPU_REQUESTED); // the agent then does not hint at a missing GPU flag
    }
    return argv;
  }

  /** The flags between the GPU flags and the image. */
  public static List<String> optionsAfterGpus(RunSpec spec) {
    List<String> argv = new ArrayList<>(spec.extraMounts());
    addOption(argv, "--entrypoint", spec.entrypoint());
    argv.add("-w");
    argv.add(WORKSPACE);
    return argv;
  }

  /** The CLI's own version (podman: the version that decides how it treats {@code --gpus}). */
  public static List<String> clientVersion(String cli) {
    return List.of(cli, "version", "--format", "{{.Client.Version}}");
  }

  /** Succeeds only when the docker CLI has the buildx plugin. */
  public static List<String> buildxVersion(String cli) {
    return List.of(cli, "buildx", "version");
  }

  /** The engine's security options as JSON (docker: {@code name=rootless} on a rootless daemon). */
  static List<String> securityOptions(String cli) {
    return List.of(cli, "info", "--format", "{{json .SecurityOptions}}");
  }

  /** A flag and its value, left out when the value is null. */
  private static void addOption(List<String> argv, String flag, String value) {
    if (value != null) {
      argv.add(flag);
      argv.add(value);
    }
  }

  /** Build args, labels, the Dockerfile and the context: the end of every build command. */
  private static void addInputs(List<String> argv, BuildInputs inputs) {
    addPairs(argv, "--build-arg", inputs.buildArgs());
    addPairs(argv, "--label", inputs.labels());
    argv.add("-f");
    argv.add(display(inputs.dockerfile(), inputs.workDir()));
    argv.add(display(inputs.context(), inputs.workDir()));
  }

  private static void addPairs(List<String> argv, String flag, Map<String, String> pairs) {
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      argv.add(flag);
      argv.add(e.getKey() + "=" + e.getValue());
    }
  }

  static String display(Path path, Path workDir) {
    if (path.equals(workDir)) {
      return ".";
    }
    if (path.startsWith(workDir)) {
      return workDir.relativize(path).toString();
    }
    return path.toString();
  }

  /** The --mount value is CSV: a source with a comma or quote must be a quoted field. */
  static String bindMount(Path source, String target) {
    String field = "source=" + source;
    if (field.contains(",") || field.contains("\"")) {
      field = "\"" + field.replace("\"", "\"\"") + "\"";
    }
    return "type=bind," + field + ",target=" + target;
  }
}
