package dev.nss.maven;

import dev.nss.container.ContainerCli;
import dev.nss.container.ContainerCliLocator;
import dev.nss.container.ContainerCommandException;
import dev.nss.container.ContainerGoals;
import dev.nss.container.GoalSettings;
import dev.nss.container.InvalidSettingException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** Parameters shared by the container goals, and the one place where core failures become Maven failures. */
public abstract class AbstractNssMojo extends AbstractMojo {

  static final String AGENT_KEY = "dev.nss:nss-entrypoint";

  /**
   * Skip this goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.skip", defaultValue = "false")
  boolean skip;

  /**
   * Log each container command on a line starting with {@code [dry-run] } and run nothing: no build, no run, no
   * directories created, no files staged.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.dryRun", defaultValue = "false")
  boolean dryRun;

  /**
   * The container CLI (Makefile {@code CONTAINER}): a name looked up on PATH or a path. Default: {@code podman} when it is
   * on PATH, else {@code docker}. Where the first docker on PATH lacks buildx, name the engine's own client, e.g.
   * {@code /usr/bin/docker}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.containerCli")
  String containerCli;

  /**
   * The build context directory (Makefile: the repository root, {@code .}). The agent is staged into
   * {@code <context>/.nss-build/}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.context", defaultValue = "${project.basedir}")
  File context;

  /**
   * The Dockerfile of the GPU image, relative to the project directory. Default: {@code containers/Dockerfile.cuda} when
   * the project has it, else the copy bundled in the plugin (written to {@code target/nss/containers/}). A path set here
   * must exist.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.dockerfile")
  String dockerfile;

  /**
   * Tag of the runtime image (Makefile {@code IMAGE}); with {@code nss.registry} also the pushed name.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.image", defaultValue = GoalSettings.DEFAULT_IMAGE)
  String image;

  /**
   * Tag of the dev image (Makefile {@code IMAGE_DEV}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.imageDev", defaultValue = GoalSettings.DEFAULT_IMAGE_DEV)
  String imageDev;

  /**
   * Target platform {@code os/arch[/variant]} of single-platform builds and runs (Makefile {@code PLATFORM}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.platform", defaultValue = GoalSettings.DEFAULT_PLATFORM)
  String platform;

  /**
   * Build argument {@code CUDA_VERSION} (e.g. {@code 12.8.1}); passed only when set, else the Dockerfile's default.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.cudaVersion")
  String cudaVersion;

  /**
   * Build argument {@code UBUNTU_VERSION} (e.g. {@code 22.04}); passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.ubuntuVersion")
  String ubuntuVersion;

  /**
   * Build argument {@code CUDA_IMAGE_TYPE} of the deps stage: {@code runtime} or {@code devel}; passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.cudaImageType")
  String cudaImageType;

  /**
   * Build argument {@code PYTHON_VERSION} (e.g. {@code 3.11.13}); passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.pythonVersion")
  String pythonVersion;

  /**
   * Build argument {@code UV_VERSION} (e.g. {@code 0.9.14}); passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.uvVersion")
  String uvVersion;

  /**
   * Build argument {@code CUDA_ARCH_FLAGS}: semicolon-separated compute capabilities such as {@code 80;86;90;90a};
   * passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.cudaArchFlags")
  String cudaArchFlags;

  /**
   * Build argument {@code NSS_ENTRYPOINT_BUILD}: how the image gets the nss-entrypoint agent, {@code native} (GraalVM
   * native-image builder stage) or {@code jvm} (jlink'd JDK 25 runtime with an AOT cache); passed only when set.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.entrypointBuild")
  String entrypointBuild;

  /**
   * More build arguments, e.g. {@code <buildArgs><CUDA_IMAGE_REPO>mirror.example/nvidia/cuda</CUDA_IMAGE_REPO></buildArgs>}.
   * Each becomes {@code --build-arg NAME=VALUE}, after the ones set through {@code nss.*} properties.
   *
   * @since 0.1.0
   */
  @Parameter
  Map<String, String> buildArgs;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  PluginDescriptor plugin;

  @Parameter(defaultValue = "${project.build.outputTimestamp}", readonly = true)
  String outputTimestamp;

  /** Seams for tests: how processes are made, Maven's environment, where a run's stderr goes. */
  Function<List<String>, ProcessBuilder> processes = ProcessBuilder::new;
  Map<String, String> environment = System.getenv();
  PrintStream stderr = System.err;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping: nss.skip is true.");
      return;
    }
    try {
      execute(goals(), settings());
    } catch (InvalidSettingException | ContainerCommandException e) {
      throw new MojoFailureException(e.getMessage());
    } catch (IOException e) {
      throw new MojoExecutionException("I/O error: " + e.getMessage(), e);
    }
  }

  /** The goal's work, on checked-free settings; throw the core's exceptions, they are mapped here once. */
  abstract void execute(ContainerGoals goals, GoalSettings settings)
      throws InvalidSettingException, ContainerCommandException, IOException, MojoFailureException;

  String cli() {
    return ContainerCliLocator.locate(containerCli, environment.get("PATH"));
  }

  ContainerGoals goals() {
    ContainerCli cli = new ContainerCli(processes, basedir(), getLog()::info, dryRun, stderr,
        environment.get("DOCKER_HOST"));
    return new ContainerGoals(cli, getLog()::info, agentJar());
  }

  GoalSettings settings() {
    return new GoalSettings(basedir())
        .cli(cli())
        .buildDirectory(Path.of(project.getBuild().getDirectory()))
        .context(context == null ? null : context.getPath())
        .dockerfile(dockerfile)
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
        .buildArgs(buildArgs)
        .projectVersion(project.getVersion())
        .outputTimestamp(outputTimestamp)
        .environment(environment)
        .containerName(containerName());
  }

  Path basedir() {
    return project.getBasedir().toPath().toAbsolutePath().normalize();
  }

  /**
   * The value of a string property the user set to empty on the command line ({@code -Dnss.gpuFlag=}) is "", which
   * means "none"; Maven would otherwise hand the parameter its default.
   */
  String explicit(String property, String parameterValue) {
    if (session != null) {
      for (Properties props : List.of(session.getUserProperties(), session.getSystemProperties())) {
        String value = props.getProperty(property);
        if (value != null && value.isEmpty()) {
          return "";
        }
      }
    }
    return parameterValue;
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

  /** The agent jar of the plugin's own version, or null when unresolved (staging then fails, naming it). */
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
