package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.core.ShellWords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks {@link GoalSettings} for one goal and turns them into a spec; nothing here touches the
 * engine.
 */
public final class GoalSpecs {

  /** Environment variables passed to {@code run} by name when set in Maven's environment. */
  public static final List<String> SECRET_ENV =
      List.of("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "NSS_INFERENCE_KEY");

  static final String TEST_PLATFORM = "linux/amd64";

  private GoalSpecs() {}

  /**
   * build-gpu ({@code dev} false: runtime stage) and build-gpu-dev ({@code dev} true: dev stage).
   */
  public static BuildSpec gpuBuild(GoalSettings s, boolean dev) throws InvalidSettingException {
    String tag = gpuImage(s, dev);
    String platform = ValueChecks.platform(PropertyNames.PLATFORM, s.platform);
    BuildInputs inputs =
        inputs(s, PropertyNames.DOCKERFILE, s.dockerfile, BundledContainers.GPU_DOCKERFILE, true);
    return new BuildSpec(cli(s), platform, tag, dev ? "dev" : "runtime", inputs, true, cache(s));
  }

  /** build-test: the CPU test image, always linux/amd64 as upstream. */
  public static BuildSpec testBuild(GoalSettings s) throws InvalidSettingException {
    String tag = ValueChecks.imageReference(PropertyNames.TEST_IMAGE, s.testImage);
    BuildInputs inputs =
        inputs(
            s,
            PropertyNames.TEST_DOCKERFILE,
            s.testDockerfile,
            BundledContainers.TEST_DOCKERFILE,
            false);
    return new BuildSpec(cli(s), TEST_PLATFORM, tag, null, inputs, false, cache(s));
  }

  /**
   * run-gpu ({@code dev} false, default command {@code --help}) and run-gpu-dev (default {@code
   * make test}).
   */
  public static RunSpec gpuRun(GoalSettings s, boolean dev) throws InvalidSettingException {
    String image = gpuImage(s, dev);
    String platform = ValueChecks.platform(PropertyNames.PLATFORM, s.platform);
    String shmSize = ValueChecks.shmSize(PropertyNames.SHM_SIZE, s.shmSize);
    Path hfCache =
        ValueChecks.hfCache(
            PropertyNames.HF_CACHE, resolve(s, required(PropertyNames.HF_CACHE, s.hfCache)));
    List<String> gpuFlags = ShellWords.split(s.gpuFlag, PropertyNames.GPU_FLAG);
    List<String> extraMounts = ShellWords.split(s.extraMounts, PropertyNames.EXTRA_MOUNTS);
    List<String> cmd = cmd(s, dev ? List.of("make", "test") : List.of("--help"));
    String cli = cli(s);
    return new RunSpec(
        cli,
        name(s),
        s.interactive,
        platform,
        shmSize,
        UserFlags.of(cli, s),
        UserFlags.ifRootlessDocker(cli, s),
        s.basedir,
        hfCache,
        passEnv(s),
        gpuFlags,
        extraMounts,
        null,
        image,
        cmd);
  }

  /**
   * shell: the dev image's run with a terminal, bash as the entrypoint and {@code nss.cmd} (default
   * none) as bash's arguments.
   */
  public static RunSpec shell(GoalSettings s) throws InvalidSettingException {
    if (!s.interactive) {
      throw new InvalidSettingException(
          PropertyNames.INTERACTIVE,
          "is false: nss:shell needs a terminal, and Maven's input " + "or output is not one",
          "Run mvn nss:shell in a terminal (not piped or in CI); -Dnss.interactive=true "
              + "forces it.");
    }
    return gpuRun(s, true).forShell(cmd(s, List.of()));
  }

  /**
   * test-ci: the test image with the project at /workspace, default command {@code make test-ci}.
   */
  public static RunSpec testRun(GoalSettings s) throws InvalidSettingException {
    String image = ValueChecks.imageReference(PropertyNames.TEST_IMAGE, s.testImage);
    List<String> cmd = cmd(s, List.of("make", "test-ci"));
    String cli = cli(s);
    return new RunSpec(
        cli,
        name(s),
        s.interactive,
        TEST_PLATFORM,
        null,
        UserFlags.of(cli, s),
        UserFlags.ifRootlessDocker(cli, s),
        s.basedir,
        null,
        List.of(),
        List.of(),
        List.of(),
        null,
        image,
        cmd);
  }

  /**
   * build-gpu-multiarch: buildx where the docker CLI has it (checked by the goal, since that needs
   * the CLI), else one build per platform and a manifest list.
   */
  public static MultiArchSpec multiArch(GoalSettings s) throws InvalidSettingException {
    RegistryTarget destination =
        destination(
            s,
            PropertyNames.IMAGE,
            s.image,
            "multi-platform manifests must be pushed to a registry (a local image store cannot hold them)");
    String platforms = ValueChecks.platforms(PropertyNames.PLATFORMS, s.platforms);
    BuildInputs inputs =
        inputs(s, PropertyNames.DOCKERFILE, s.dockerfile, BundledContainers.GPU_DOCKERFILE, true);
    return new MultiArchSpec(
        cli(s),
        blankToNull(s.builder),
        platforms,
        destination,
        "runtime",
        BaseLabels.named(inputs, "runtime"),
        cache(s));
  }

  /** nss.cacheFrom, nss.cacheTo, nss.noCache and nss.registryInsecure of the build goals. */
  private static BuildCache cache(GoalSettings s) throws InvalidSettingException {
    return BuildCache.of(
        s.cacheFrom,
        s.cacheTo,
        s.noCache,
        s.registryInsecure,
        PropertyNames.CACHE_FROM,
        PropertyNames.CACHE_TO);
  }

  /** push-gpu ({@code dev} false: nss.image) and push-gpu-dev (nss.imageDev). */
  public static PushSpec push(GoalSettings s, boolean dev) throws InvalidSettingException {
    String property = dev ? PropertyNames.IMAGE_DEV : PropertyNames.IMAGE;
    String image = gpuImage(s, dev);
    RegistryTarget destination = destination(s, property, image, "the goal pushes to it");
    return new PushSpec(cli(s), image, destination);
  }

  /** The registry, the repository (registry + the image name without its tag) and the tags. */
  private static RegistryTarget destination(
      GoalSettings s, String imageProperty, String image, String why)
      throws InvalidSettingException {
    if (s.registry == null || s.registry.isBlank()) {
      throw new InvalidSettingException(
          PropertyNames.REGISTRY,
          "is empty, but " + why,
          "Set -Dnss.registry=<host[:port][/namespace]> (and nss.registryServerId for its credentials).");
    }
    String registry = ValueChecks.registry(PropertyNames.REGISTRY, s.registry);
    String repository =
        ValueChecks.imageReference(
            imageProperty,
            registry + "/" + repositoryName(ValueChecks.imageReference(imageProperty, image)));
    List<String> tags =
        ImageTags.of(s.tags, s.tagVariant, s.projectVersion, GitRevision.of(s.basedir));
    return new RegistryTarget(registry, repository, tags, s.registryInsecure);
  }

  /** {@code name[:tag][@digest]} without the tag and digest. */
  static String repositoryName(String image) {
    String name = image.split("@", 2)[0];
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  private static String gpuImage(GoalSettings s, boolean dev) throws InvalidSettingException {
    return dev
        ? ValueChecks.imageReference(PropertyNames.IMAGE_DEV, s.imageDev)
        : ValueChecks.imageReference(PropertyNames.IMAGE, s.image);
  }

  private static String cli(GoalSettings s) throws InvalidSettingException {
    return required(PropertyNames.CONTAINER_CLI, s.cli);
  }

  private static String name(GoalSettings s) throws InvalidSettingException {
    return required("containerName", s.containerName);
  }

  private static Path context(GoalSettings s) throws InvalidSettingException {
    Path context = s.context == null || s.context.isBlank() ? s.basedir : resolve(s, s.context);
    return ValueChecks.existingDirectory(PropertyNames.CONTEXT, context, "The build context");
  }

  /**
   * Checked in this order: context, Dockerfile, build args; the image labels only for {@code
   * labelled} builds.
   */
  private static BuildInputs inputs(
      GoalSettings s, String property, String configured, String name, boolean labelled)
      throws InvalidSettingException {
    Path context = context(s);
    Dockerfile dockerfile = dockerfile(s, property, configured, name);
    Map<String, String> args = buildArgs(s);
    Map<String, String> labels =
        labelled
            ? ImageLabels.of(s.projectVersion, s.basedir, s.outputTimestamp)
            : Collections.emptyMap();
    return new BuildInputs(dockerfile.path, dockerfile.bundled, context, s.basedir, args, labels);
  }

  private record Dockerfile(Path path, boolean bundled) {}

  /**
   * An explicit Dockerfile must exist; the default falls back to the plugin's bundled copy when the
   * project has none.
   */
  private static Dockerfile dockerfile(
      GoalSettings s, String property, String configured, String name)
      throws InvalidSettingException {
    if (configured != null && !configured.isBlank()) {
      return new Dockerfile(
          ValueChecks.existingFile(property, resolve(s, configured), "The Dockerfile"), false);
    }
    Path own = s.basedir.resolve(BundledContainers.PROJECT_DIR).resolve(name);
    if (Files.isRegularFile(own)) {
      return new Dockerfile(own, false);
    }
    return new Dockerfile(BundledContainers.directory(s.buildDirectory).resolve(name), true);
  }

  private static Map<String, String> buildArgs(GoalSettings s) throws InvalidSettingException {
    Map<String, String> args = new LinkedHashMap<>();
    putIfSet(
        args,
        "CUDA_VERSION",
        s.cudaVersion,
        v -> ValueChecks.cudaVersion(PropertyNames.CUDA_VERSION, v));
    putIfSet(
        args,
        "UBUNTU_VERSION",
        s.ubuntuVersion,
        v -> ValueChecks.ubuntuVersion(PropertyNames.UBUNTU_VERSION, v));
    putIfSet(
        args,
        "CUDA_IMAGE_TYPE",
        s.cudaImageType,
        v -> ValueChecks.cudaImageType(PropertyNames.CUDA_IMAGE_TYPE, v));
    putIfSet(
        args,
        "PYTHON_VERSION",
        s.pythonVersion,
        v -> ValueChecks.pythonVersion(PropertyNames.PYTHON_VERSION, v));
    putIfSet(
        args, "UV_VERSION", s.uvVersion, v -> ValueChecks.uvVersion(PropertyNames.UV_VERSION, v));
    putIfSet(
        args,
        "CUDA_ARCH_FLAGS",
        s.cudaArchFlags,
        v -> ValueChecks.cudaArchFlags(PropertyNames.CUDA_ARCH_FLAGS, v));
    putIfSet(
        args,
        "NSS_ENTRYPOINT_BUILD",
        s.entrypointBuild,
        v -> ValueChecks.entrypointBuild(PropertyNames.ENTRYPOINT_BUILD, v));
    for (Map.Entry<String, String> e : s.buildArgs.entrySet()) {
      String name = ValueChecks.buildArgName("buildArgs", e.getKey());
      if (args.containsKey(name)) {
        throw new InvalidSettingException(
            "buildArgs", name + " is also set by its nss.* property", "Set it in one place only.");
      }
      args.put(name, e.getValue() == null ? "" : e.getValue());
    }
    return args;
  }

  private interface Check {
    String apply(String value) throws InvalidSettingException;
  }

  private static void putIfSet(Map<String, String> args, String name, String value, Check check)
      throws InvalidSettingException {
    if (value != null && !value.isBlank()) {
      args.put(name, check.apply(value));
    }
  }

  private static List<String> cmd(GoalSettings s, List<String> fallback)
      throws InvalidSettingException {
    if (s.cmd != null && !s.cmd.isEmpty()) {
      List<String> exact = new ArrayList<>();
      for (String arg : s.cmd) {
        exact.add(arg == null ? "" : arg); // an empty <arg/> is an empty argument
      }
      return exact;
    }
    if (s.cmdLine == null) {
      return fallback;
    }
    return ShellWords.split(s.cmdLine, PropertyNames.CMD);
  }

  private static List<String> passEnv(GoalSettings s) {
    List<String> names = new ArrayList<>();
    for (String name : SECRET_ENV) {
      if (s.environment.get(name) != null) {
        names.add(name);
      }
    }
    return names;
  }

  private static Path resolve(GoalSettings s, String path) {
    return s.basedir.resolve(path.strip()).toAbsolutePath().normalize();
  }

  private static String required(String property, String value) throws InvalidSettingException {
    if (value == null || value.isBlank()) {
      throw new InvalidSettingException(property, "is empty", "Set -D" + property + ".");
    }
    return value.strip();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
