package dev.nss.maven;

import dev.nss.container.ArgvEncoding;
import dev.nss.container.ContainerCli;
import dev.nss.container.GoalSettings;
import dev.nss.container.PlanRunner;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.engine.ContainerCliLocator;
import dev.nss.engine.RunOwner;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** Parameters shared by the container goals (build, run, test), and how they reach the core. */
public abstract class AbstractNssMojo extends NssMojo {

  static final String AGENT_KEY = "dev.nss:nss-entrypoint";

  /**
   * The Dockerfile of the GPU image, relative to the project directory. Default: {@code
   * containers/Dockerfile.cuda} when the project has it, else the copy bundled in the plugin
   * (written to {@code target/nss/containers/}). A path set here must exist.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DOCKERFILE)
  String dockerfile;

  /**
   * Tag of the runtime image (Makefile {@code IMAGE}); with {@code PropertyNames.REGISTRY} also the
   * pushed name.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.IMAGE, defaultValue = PropertyNames.IMAGE_DEFAULT)
  String image;

  /**
   * Tag of the dev image (Makefile {@code IMAGE_DEV}).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.IMAGE_DEV, defaultValue = PropertyNames.IMAGE_DEV_DEFAULT)
  String imageDev;

  /**
   * Tag of the CPU test image.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.TEST_IMAGE, defaultValue = PropertyNames.TEST_IMAGE_DEFAULT)
  String testImage;

  /**
   * The Dockerfile of the test image, relative to the project directory. Default: {@code
   * containers/Dockerfile.test_ci} when the project has it, else the plugin's bundled copy.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.TEST_DOCKERFILE)
  String testDockerfile;

  /**
   * Target platform {@code os/arch[/variant]} of single-platform builds and runs (Makefile {@code
   * PLATFORM}).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.PLATFORM, defaultValue = PropertyNames.PLATFORM_DEFAULT)
  String platform;

  /**
   * Build argument {@code CUDA_VERSION} (e.g. {@code 12.8.1}); passed only when set, else the
   * Dockerfile's default.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CUDA_VERSION)
  String cudaVersion;

  /**
   * Build argument {@code UBUNTU_VERSION} (e.g. {@code 22.04}); passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.UBUNTU_VERSION)
  String ubuntuVersion;

  /**
   * Build argument {@code CUDA_IMAGE_TYPE} of the deps stage: {@code runtime} or {@code devel};
   * passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CUDA_IMAGE_TYPE)
  String cudaImageType;

  /**
   * Build argument {@code PYTHON_VERSION} (e.g. {@code 3.11.13}); passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.PYTHON_VERSION)
  String pythonVersion;

  /**
   * Build argument {@code UV_VERSION} (e.g. {@code 0.9.14}); passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.UV_VERSION)
  String uvVersion;

  /**
   * Build argument {@code CUDA_ARCH_FLAGS}: semicolon-separated compute capabilities such as {@code
   * 80;86;90;90a}; passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CUDA_ARCH_FLAGS)
  String cudaArchFlags;

  /**
   * Build argument {@code NSS_ENTRYPOINT_BUILD}: how the image gets the nss-entrypoint agent,
   * {@code native} (GraalVM native-image builder stage) or {@code jvm} (jlink'd JDK 25 runtime with
   * an AOT cache); passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.ENTRYPOINT_BUILD)
  String entrypointBuild;

  /**
   * More build arguments, e.g. {@code
   * <buildArgs><CUDA_IMAGE_REPO>mirror.example/nvidia/cuda</CUDA_IMAGE_REPO></buildArgs>}. Each
   * becomes {@code --build-arg NAME=VALUE}, after the ones set through {@code nss.*} properties.
   *
   * @since 0.1.0
   */
  @Parameter Map<String, String> buildArgs;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  PluginDescriptor plugin;

  /**
   * Registry build caches to import, e.g. {@code registry.example/team/nss-gpu:buildcache}
   * (comma-separated on the command line): podman {@code --cache-from REPO} (the reference without
   * its tag, which buildah refuses); docker {@code --cache-from REF} (BuildKit's inline cache) or,
   * with buildx in build-gpu-multiarch, {@code type=registry,ref=REF}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CACHE_FROM)
  List<String> cacheFrom;

  /**
   * Registry build caches to export, same form: podman {@code --cache-to REPO} (every stage);
   * docker without buildx the inline cache (final stage only: {@code --build-arg
   * BUILDKIT_INLINE_CACHE=1}, then the image is pushed as REF); buildx {@code
   * type=registry,ref=REF,mode=max}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CACHE_TO)
  List<String> cacheTo;

  /**
   * Builds without the engine's layer cache ({@code --no-cache}): a clean rebuild.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.NO_CACHE, defaultValue = PropertyNames.NO_CACHE_DEFAULT)
  boolean noCache;

  @Parameter(defaultValue = "${project.build.outputTimestamp}", readonly = true)
  String outputTimestamp;

  /**
   * Seconds each engine query ({@code version}, {@code info}, {@code image inspect}), the registry
   * login, a run's {@code create} and the question asked before a build, push or pull of an engine
   * that has not answered lately may take before it is stopped and the goal fails, naming the
   * command: a hung engine fails the goal instead of hanging Maven. Builds, pushes, pulls and the
   * run itself are not limited (Ctrl-C stops them).
   *
   * @since 0.1.0
   */
  @Parameter(
      property = PropertyNames.ENGINE_TIMEOUT,
      defaultValue = PropertyNames.ENGINE_TIMEOUT_DEFAULT)
  int engineTimeout = Integer.parseInt(PropertyNames.ENGINE_TIMEOUT_DEFAULT);

  /**
   * One factory for every goal: the goals of a Maven run share what its engines answered lately,
   * which spares a later goal the question asked before a build (see {@code nss.engineTimeout}).
   */
  private static final Function<List<String>, ProcessBuilder> PROCESSES = ProcessBuilder::new;

  /** Seams for tests: how processes are made, Maven's environment, where a run's stderr goes. */
  Function<List<String>, ProcessBuilder> processes = PROCESSES;

  Map<String, String> environment = System.getenv();
  PrintStream stderr = System.err;

  @Override
  final void run() throws InvalidSettingException, CommandFailedException, IOException {
    execute(settings());
  }

  /**
   * The goal's work on its settings: most goals run a plan ({@link #runner()}); the core's
   * exceptions are mapped to Maven's in {@link NssMojo}.
   */
  abstract void execute(GoalSettings settings)
      throws InvalidSettingException, CommandFailedException, IOException;

  String cli() {
    return ContainerCliLocator.locate(containerCli, environment.get("PATH"));
  }

  /** The CLI every command of the goal runs through (in dry-run mode: prints them). */
  ContainerCli containerCli() throws InvalidSettingException {
    return new ContainerCli(
            processes, basedir(), getLog()::info, dryRun, stderr, environment.get("DOCKER_HOST"))
        .withEngineTimeout(engineTimeout);
  }

  /** Runs the goal's plan through {@code cli}. */
  PlanRunner runner(ContainerCli cli) {
    return new PlanRunner(
        cli, getLog()::info, agentJar(), ArgvEncoding.platform(), RunOwner.current(), Path::of);
  }

  PlanRunner runner() throws InvalidSettingException {
    return runner(containerCli());
  }

  GoalSettings settings() {
    return new GoalSettings(basedir())
        .cli(cli())
        .buildDirectory(Path.of(project.getBuild().getDirectory()))
        .context(context == null ? null : context.getPath())
        .dockerfile(dockerfile)
        .testDockerfile(testDockerfile)
        .testImage(testImage)
        .image(image)
        .imageDev(imageDev)
        .platform(platform)
        .cudaVersion(cudaVersion)
        .ubuntuVersion(ubuntuVersion)
        .cudaImageType(cudaImageType)
        .pythonVersion(pythonVersion)
        .uvVersion(uvVersion)
        .cudaArchFlags(cudaArchFlags)
        .entrypointBuild(entrypointBuild)
        .cacheFrom(cacheFrom)
        .cacheTo(cacheTo)
        .noCache(noCache)
        .buildArgs(buildArgs)
        .projectVersion(project.getVersion())
        .outputTimestamp(outputTimestamp)
        .environment(environment)
        .containerName(containerName());
  }

  Path basedir() {
    return project.getBasedir().toPath().toAbsolutePath().normalize();
  }

  /** {@code nss.interactive} when set, else whether Maven runs in a terminal. */
  static boolean interactive(Boolean configured) {
    if (configured != null) {
      return configured;
    }
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try { // Console.isTerminal (JDK 22+): System.console() is no longer null when redirected.
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /**
   * The agent jar of the plugin's own version, or null when unresolved (staging then fails, naming
   * it).
   */
  Path agentJar() {
    Artifact agent = plugin == null ? null : plugin.getArtifactMap().get(AGENT_KEY);
    return agent == null || agent.getFile() == null ? null : agent.getFile().toPath();
  }

  /** A fresh name for each run, so that an aborted Maven can remove exactly its own container. */
  static String containerName() {
    byte[] bytes = new byte[6];
    new SecureRandom().nextBytes(bytes);
    return "nss-run-" + HexFormat.of().formatHex(bytes);
  }
}
