package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.engine.PlatformSupport;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * push-gpu, push-gpu-dev and build-gpu-multiarch: log in privately, push, record the digest. A
 * multi-platform build is one of three {@link MultiArchBuild}s, chosen by what the engine has.
 */
public final class Publishing {

  private final ContainerCli cli;
  private final Consumer<String> log;
  private final ImageBuilder builder;
  private final Charset argvCharset;
  private final PlatformSupport platforms;

  /**
   * @param runner the runner of this goal's plans (its image builds stage and stream the same way)
   * @param platforms what this host can build (binfmt_misc), checked before multi-platform builds
   */
  public Publishing(
      ContainerCli cli,
      Consumer<String> log,
      PlanRunner runner,
      Charset argvCharset,
      PlatformSupport platforms) {
    this.cli = cli;
    this.log = log;
    this.builder = runner.builder();
    this.argvCharset = argvCharset;
    this.platforms = platforms;
  }

  /**
   * build-gpu-multiarch. With docker and buildx: one {@code buildx build --push}. Without buildx,
   * and with podman: every platform is built with {@code --platform}, pushed, and a manifest list
   * of them is pushed under every tag. Foreign platforms must be runnable (binfmt) unless a buildx
   * builder is named. Logs in when credentials are given.
   */
  public void buildMultiArch(GoalSettings settings, RegistryCredentials credentials)
      throws InvalidSettingException, CommandFailedException, IOException {
    MultiArchSpec spec = GoalSpecs.multiArch(settings);
    ArgvEncoding.check(Commands.multiArchBuild(spec, Path.of("metadata.json")), argvCharset);
    AgentStager.checkNotIgnored(spec.cli(), spec.inputs());
    if (spec.builder() == null) {
      platforms.check(PropertyNames.PLATFORMS, spec.platforms());
    }
    MultiArchBuild build = MultiArchBuild.choose(spec, cli, log, builder);
    String digest;
    try (RegistryPublisher registry =
        RegistryPublisher.open(
            cli, spec.cli(), spec.destination(), credentials, userDockerConfig(settings), log)) {
      digest = build.buildAndPush(spec, registry);
    }
    record(
        new PublishedImage(
            spec.destination().repository(),
            spec.destination().tags(),
            digest,
            List.of(spec.platforms().split(",")),
            spec.inputs().labels().get(ImageLabels.VERSION),
            spec.inputs().labels().get(ImageLabels.REVISION),
            spec.cli()),
        settings);
  }

  /**
   * push-gpu ({@code dev} false) and push-gpu-dev: pushes the local image that build-gpu(-dev) made
   * to the registry under every tag, then records its digest.
   */
  public void push(GoalSettings settings, boolean dev, RegistryCredentials credentials)
      throws InvalidSettingException, CommandFailedException, IOException {
    PushSpec spec = GoalSpecs.push(settings, dev);
    ArgvEncoding.check(RegistryCommands.imageInspect(spec.cli(), spec.image()), argvCharset);
    LocalImage local =
        LocalImage.inspect(
            cli,
            spec.cli(),
            spec.image(),
            dev ? PropertyNames.IMAGE_DEV : PropertyNames.IMAGE,
            dev ? "build-gpu-dev" : "build-gpu");
    String digest;
    try (RegistryPublisher registry =
        RegistryPublisher.open(
            cli, spec.cli(), spec.destination(), credentials, userDockerConfig(settings), log)) {
      registry.login();
      digest = registry.pushImage(spec.image());
    }
    if (local != null) {
      record(
          new PublishedImage(
              spec.destination().repository(),
              spec.destination().tags(),
              digest,
              List.of(local.platform()),
              local.labels().get(ImageLabels.VERSION),
              local.labels().get(ImageLabels.REVISION),
              spec.cli()),
          settings);
    }
  }

  /** Prints the pinned reference and writes target/nss-image.json; nothing in dry-run mode. */
  private void record(PublishedImage image, GoalSettings settings) throws IOException {
    if (cli.dryRun() || image.digest() == null) {
      return;
    }
    log.accept(
        "Pushed "
            + image.pinned()
            + " (tags: "
            + String.join(", ", image.tags())
            + "; platforms: "
            + String.join(", ", image.platforms())
            + ")");
    log.accept("Wrote " + image.write(settings.buildDirectory()));
  }

  private static Path userDockerConfig(GoalSettings settings) {
    return userDockerConfig(settings.environment);
  }

  /** The user's docker config directory: DOCKER_CONFIG of Maven's environment, else ~/.docker. */
  static Path userDockerConfig(java.util.Map<String, String> environment) {
    String configured = environment.get("DOCKER_CONFIG");
    return configured == null || configured.isBlank()
        ? Path.of(System.getProperty("user.home"), ".docker")
        : Path.of(configured);
  }
}
