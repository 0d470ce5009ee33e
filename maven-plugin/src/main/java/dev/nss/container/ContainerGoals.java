package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.FileTrees;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.core.ShellWords;
import dev.nss.engine.Engine;
import dev.nss.engine.PlatformSupport;
import dev.nss.engine.PodmanGpus;
import dev.nss.engine.RunOwner;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The work of each container goal, Maven-free: check every setting, then stage files, then call the
 * CLI. Nothing reaches the engine before all checks have passed.
 */
public final class ContainerGoals {

  /**
   * The project directory's mount point of the HF cache ({@link Commands#HF_CACHE_TARGET} on the
   * host side).
   */
  public static final String HF_CACHE_MOUNT_POINT = ".hf_cache";

  private final ContainerCli cli;
  private final Consumer<String> log;
  private final Path agentJar;
  private final Charset argvCharset;
  private final PlatformSupport platforms;
  private final RunOwner owner;

  /**
   * Where the host's CDI spec directories (podman's GPU devices) are read; a parameter so that
   * tests need no /etc/cdi.
   */
  private Function<String, Path> cdiHost = Path::of;

  /**
   * @param agentJar the nss-entrypoint jar of the plugin's version, staged into GPU image builds
   */
  public ContainerGoals(ContainerCli cli, Consumer<String> log, Path agentJar) {
    this(cli, log, agentJar, ArgvEncoding.platform());
  }

  /**
   * @param argvCharset the charset the JVM encodes child process arguments with (see {@link
   *     ArgvEncoding})
   */
  public ContainerGoals(
      ContainerCli cli, Consumer<String> log, Path agentJar, Charset argvCharset) {
    this(cli, log, agentJar, argvCharset, PlatformSupport.ofThisHost(), RunOwner.current());
  }

  /**
   * @param platforms what this host can build (binfmt_misc), checked before multi-platform builds
   */
  public ContainerGoals(
      ContainerCli cli,
      Consumer<String> log,
      Path agentJar,
      Charset argvCharset,
      PlatformSupport platforms) {
    this(cli, log, agentJar, argvCharset, platforms, RunOwner.current());
  }

  /**
   * @param owner the Maven process whose containers these are (their labels)
   */
  public ContainerGoals(
      ContainerCli cli,
      Consumer<String> log,
      Path agentJar,
      Charset argvCharset,
      PlatformSupport platforms,
      RunOwner owner) {
    this.platforms = platforms;
    this.cli = cli;
    this.log = log;
    this.agentJar = agentJar;
    this.argvCharset = argvCharset;
    this.owner = owner;
  }

  /** Maps each CDI spec directory to where the run goals read it (tests: under a test root). */
  ContainerGoals cdiHost(Function<String, Path> hostPath) {
    this.cdiHost = hostPath;
    return this;
  }

  /** build-gpu ({@code dev} false) and build-gpu-dev. */
  public void buildGpu(GoalSettings settings, boolean dev)
      throws InvalidSettingException, CommandFailedException {
    build(checked(SettingsValidator.gpuBuild(settings, dev)), settings);
  }

  /** build-test. */
  public void buildTest(GoalSettings settings)
      throws InvalidSettingException, CommandFailedException {
    build(checked(SettingsValidator.testBuild(settings)), settings);
  }

  /**
   * run-gpu ({@code dev} false) and run-gpu-dev: build unless {@code skipBuild}, create the HF
   * cache, run.
   */
  public void runGpu(GoalSettings settings, boolean dev, boolean skipBuild)
      throws InvalidSettingException, CommandFailedException {
    runWithHfCache(checked(SettingsValidator.gpuRun(settings, dev)), settings, dev, skipBuild);
  }

  /**
   * shell: build-gpu-dev unless {@code skipBuild}, then bash in the dev image with the user's
   * terminal.
   */
  public void shell(GoalSettings settings, boolean skipBuild)
      throws InvalidSettingException, CommandFailedException {
    runWithHfCache(checked(SettingsValidator.shell(settings)), settings, true, skipBuild);
  }

  /**
   * Creates the HF cache and, as the user running Maven, its mount point in the project (the engine
   * would create a missing one as root), then runs.
   */
  private void runWithHfCache(
      RunSpec checkedRun, GoalSettings settings, boolean dev, boolean skipBuild)
      throws InvalidSettingException, CommandFailedException {
    RunSpec run = gpuFlagsForEngine(checkedRun);
    if (!skipBuild) {
      build(checked(SettingsValidator.gpuBuild(settings, dev)), settings);
    }
    cli.mkdirs(run.hfCache(), run.workspace().resolve(HF_CACHE_MOUNT_POINT));
    run(run);
  }

  private void run(RunSpec run) throws CommandFailedException {
    cli.run(Commands.create(run, owner), run.name(), run.interactive());
  }

  /**
   * On podman, the GPU flags it will honour: before podman 5, {@code --gpus} becomes CDI devices
   * (logged); CDI devices need an NVIDIA CDI spec, whose absence fails here, before anything is
   * built or run. Docker: unchanged.
   */
  RunSpec gpuFlagsForEngine(RunSpec run) throws InvalidSettingException, CommandFailedException {
    if (!Engine.isPodman(run.cli()) || run.gpuFlags().isEmpty()) {
      return run;
    }
    List<String> flags = run.gpuFlags();
    if (PodmanGpus.hasGpusFlag(flags)) {
      String version = cli.query(Commands.clientVersion(run.cli()));
      flags = PodmanGpus.flagsFor(version, flags);
      if (!flags.equals(run.gpuFlags())) {
        log.accept(
            "podman "
                + version
                + " ignores --gpus: passing "
                + ShellWords.quote(flags)
                + " (CDI devices) "
                + "instead of "
                + ShellWords.quote(run.gpuFlags()));
      }
    }
    if (PodmanGpus.requestsCdiGpus(flags)
        && PodmanGpus.nvidiaCdiSpecs(PodmanGpus.CDI_DIRS, cdiHost).isEmpty()) {
      throw new InvalidSettingException(
          PropertyNames.GPU_FLAG,
          ShellWords.quote(flags)
              + " asks podman for GPUs through CDI, "
              + "but there is "
              + PodmanGpus.noSpecIn(PodmanGpus.CDI_DIRS),
          PodmanGpus.noSpecFix());
    }
    return run.withGpuFlags(flags);
  }

  /** test-ci: build-test unless {@code skipBuild}, then run the test image on the project. */
  public void testCi(GoalSettings settings, boolean skipBuild)
      throws InvalidSettingException, CommandFailedException {
    RunSpec run = checked(SettingsValidator.testRun(settings));
    if (!skipBuild) {
      build(checked(SettingsValidator.testBuild(settings)), settings);
    }
    run(run);
  }

  /**
   * build-gpu-multiarch. With docker and buildx: one {@code buildx build --push}. Without buildx,
   * and with podman: every platform is built with {@code --platform}, pushed, and a manifest list
   * of them is pushed under every tag. Foreign platforms must be runnable (binfmt) unless a buildx
   * builder is named. Logs in when credentials are given.
   */
  public void buildMultiArch(GoalSettings settings, RegistryCredentials credentials)
      throws InvalidSettingException, CommandFailedException, IOException {
    MultiArchSpec spec = SettingsValidator.multiArch(settings);
    ArgvEncoding.check(Commands.multiArchBuild(spec, Path.of("metadata.json")), argvCharset);
    AgentStager.checkNotIgnored(spec.inputs().context(), spec.inputs().dockerfile());
    if (spec.builder() == null) {
      platforms.check(PropertyNames.PLATFORMS, spec.platforms());
    }
    boolean podman = Engine.isPodman(spec.cli());
    boolean buildx = !podman && (cli.dryRun() || cli.probe(Commands.buildxVersion(spec.cli())));
    if (!podman && !buildx && spec.builder() != null) {
      throw new InvalidSettingException(
          PropertyNames.BUILDER,
          "names a buildx builder, but `" + spec.cli() + " buildx version` failed (no buildx)",
          "Install the docker buildx plugin, or unset nss.builder to build "
              + "each platform with this docker and push a manifest list.");
    }
    List<String> platformList = List.of(spec.platforms().split(","));
    String digest;
    try (RegistryPublisher registry =
        RegistryPublisher.open(
            cli, spec.cli(), spec.destination(), credentials, userDockerConfig(settings), log)) {
      if (buildx) {
        digest = multiArchWithBuildx(spec, registry, settings);
      } else if (podman) {
        digest = multiArchWithPodman(spec, registry, settings);
      } else {
        digest = multiArchPerPlatform(spec, platformList, registry, settings);
      }
    }
    record(
        new PublishedImage(
            spec.destination().repository(),
            spec.destination().tags(),
            digest,
            platformList,
            spec.inputs().labels().get(ImageLabels.VERSION),
            spec.inputs().labels().get(ImageLabels.REVISION),
            spec.cli()),
        settings);
  }

  /**
   * One {@code buildx build --push} of every platform under every tag; the digest from its metadata
   * file.
   */
  private String multiArchWithBuildx(
      MultiArchSpec spec, RegistryPublisher registry, GoalSettings settings)
      throws CommandFailedException {
    log.accept(
        "Building "
            + spec.platforms()
            + " with buildx and pushing to "
            + spec.destination().repository());
    Path metadata = registry.session().newFile("metadata.json");
    registry.login();
    build(registry.cli(), Commands.multiArchBuild(spec, metadata), spec.inputs(), true, settings);
    return registry.buildxDigest(metadata);
  }

  /**
   * One {@code podman build --manifest} of every platform, the list pushed with its images under
   * every tag.
   */
  private String multiArchWithPodman(
      MultiArchSpec spec, RegistryPublisher registry, GoalSettings settings)
      throws CommandFailedException {
    String list = spec.destination().reference(spec.destination().tags().get(0));
    log.accept("Building " + spec.platforms() + " into the local manifest list " + list);
    cli.probe(
        Commands.manifestRemove(spec.cli(), list)); // else the build adds to an earlier run's list
    try {
      build(cli, Commands.manifestBuild(spec, list), spec.inputs(), true, settings);
      registry.login();
      return registry.pushPodmanList(list);
    } finally {
      // Like docker's --purge: a local list whose images are later removed breaks `podman images`
      // (4.3).
      cli.probe(Commands.manifestRemove(spec.cli(), list));
    }
  }

  /**
   * docker without buildx: a build and a push per platform ({@code TAG-os-arch}), then a manifest
   * list per tag.
   */
  private String multiArchPerPlatform(
      MultiArchSpec spec,
      List<String> platformList,
      RegistryPublisher registry,
      GoalSettings settings)
      throws CommandFailedException {
    log.accept(
        "No buildx in "
            + spec.cli()
            + ": building each of "
            + spec.platforms()
            + ", pushing each, then a manifest list");
    List<String> images = new ArrayList<>();
    for (String platform : platformList) {
      String image =
          spec.destination()
              .reference(spec.destination().tags().get(0) + "-" + platform.replace('/', '-'));
      build(cli, Commands.platformBuild(spec, platform, image), spec.inputs(), true, settings);
      images.add(image);
    }
    registry.login();
    for (String image : images) {
      registry.pushTagged(image);
    }
    return registry.pushManifestList(images);
  }

  /**
   * push-gpu ({@code dev} false) and push-gpu-dev: pushes the local image that build-gpu(-dev) made
   * to the registry under every tag, then records its digest.
   */
  public void push(GoalSettings settings, boolean dev, RegistryCredentials credentials)
      throws InvalidSettingException, CommandFailedException, IOException {
    PushSpec spec = SettingsValidator.push(settings, dev);
    ArgvEncoding.check(Commands.imageInspect(spec.cli(), spec.image()), argvCharset);
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

  /** The user's docker config directory: DOCKER_CONFIG of Maven's environment, else ~/.docker. */
  private static Path userDockerConfig(GoalSettings settings) {
    String configured = settings.environment.get("DOCKER_CONFIG");
    return configured == null || configured.isBlank()
        ? Path.of(System.getProperty("user.home"), ".docker")
        : Path.of(configured);
  }

  /**
   * init: writes the bundled container files into the project. An existing Dockerfile is not
   * overwritten unless {@code force}; an existing {@code .dockerignore} gets the bundled patterns
   * it lacks ({@code force}: replaced).
   */
  public void init(Path containersDir, Path context, boolean force)
      throws InvalidSettingException, IOException {
    List<Path> targets = new ArrayList<>();
    for (String name : BundledContainers.FILES) {
      targets.add(containersDir.resolve(name));
    }
    targets.add(context.resolve(".dockerignore"));
    List<String> existing = new ArrayList<>();
    for (Path target : targets) {
      if (Files.exists(target) && !isIgnoreFile(target)) {
        existing.add(target.toString());
      }
    }
    if (!existing.isEmpty() && !force) {
      throw new InvalidSettingException(
          PropertyNames.FORCE,
          "not overwriting " + String.join(", ", existing),
          "Edit the files in place, delete them, or overwrite them with -D"
              + PropertyNames.FORCE
              + "=true.");
    }
    for (Path target : targets) {
      if (isIgnoreFile(target) && Files.exists(target) && !force) {
        if (cli.dryRun()) {
          log.accept(ContainerCli.DRY_RUN_PREFIX + "merge into " + target);
        } else {
          int added = BundledContainers.mergeIgnoreFile(target);
          log.accept(
              added == 0
                  ? "Kept " + target + ": it has every pattern of the nss context filter"
                  : "Kept "
                      + target
                      + " and added "
                      + added
                      + " line(s) of the nss context filter at its end");
        }
        continue;
      }
      String name = target.getFileName().toString();
      if (cli.dryRun()) {
        log.accept(ContainerCli.DRY_RUN_PREFIX + "write " + target);
      } else {
        BundledContainers.write(name, target);
        log.accept("Wrote " + target);
      }
    }
  }

  private static boolean isIgnoreFile(Path target) {
    return target.getFileName().toString().equals(".dockerignore");
  }

  private BuildSpec checked(BuildSpec spec) throws InvalidSettingException {
    ArgvEncoding.check(Commands.build(spec), argvCharset);
    if (spec.stageAgent()) {
      AgentStager.checkNotIgnored(spec.inputs().context(), spec.inputs().dockerfile());
    }
    return spec;
  }

  private RunSpec checked(RunSpec spec) throws InvalidSettingException {
    ArgvEncoding.check(Commands.create(spec, owner), argvCharset);
    return spec;
  }

  private void build(BuildSpec spec, GoalSettings settings) throws CommandFailedException {
    build(cli, Commands.build(spec), spec.inputs(), spec.stageAgent(), settings);
    relabelOnPodman(spec);
  }

  /**
   * buildah (podman 4.3) keeps the labels of a cached image when the target is not the Dockerfile's
   * last stage, so a build of a new commit whose layers are all cached would carry the old
   * revision, version and created labels. A one-step build {@code FROM} the result, with the
   * labels, gives the image its own.
   */
  private void relabelOnPodman(BuildSpec spec) throws CommandFailedException {
    if (!Engine.isPodman(spec.cli()) || spec.target() == null || spec.inputs().labels().isEmpty()) {
      return;
    }
    Path dir =
        cli.dryRun() ? Path.of(System.getProperty("java.io.tmpdir"), "nss-relabel-XXXXXX") : null;
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("nss-relabel-");
        Files.writeString(
            dir.resolve("Containerfile"), "FROM " + spec.tag() + "\n", StandardCharsets.UTF_8);
      }
      cli.stream(Commands.relabel(spec, dir));
    } catch (IOException e) {
      throw new CommandFailedException(
          "Could not write the relabelling Containerfile under "
              + System.getProperty("java.io.tmpdir")
              + " ("
              + e.getMessage()
              + "). Check that it is writable.",
          -1);
    } finally {
      if (!cli.dryRun() && dir != null) {
        try {
          FileTrees.delete(dir);
        } catch (IOException e) {
          log.accept("Could not remove " + dir + ": " + e.getMessage());
        }
      }
    }
  }

  /**
   * Stages what the build needs, runs it through {@code via} (this goal's CLI, or a registry's with
   * its login), and removes what was staged.
   */
  private void build(
      ContainerCli via,
      List<String> argv,
      BuildInputs inputs,
      boolean stageAgent,
      GoalSettings settings)
      throws CommandFailedException {
    prepareFiles(inputs, stageAgent, settings);
    try {
      // On Ctrl-C, Maven's shutdown hook removes the staged agent too: this thread's finally may
      // never run.
      via.stream(argv, () -> cleanUp(inputs, stageAgent));
    } finally {
      cleanUp(inputs, stageAgent);
    }
  }

  private void prepareFiles(BuildInputs inputs, boolean stageAgent, GoalSettings settings)
      throws CommandFailedException {
    if (cli.dryRun()) {
      return;
    }
    Path context = inputs.context();
    try {
      if (inputs.bundledDockerfile()) {
        Path dir = BundledContainers.directory(settings.buildDirectory());
        BundledContainers.writeAll(dir);
        log.accept(
            "No containers/ Dockerfile in the project: using the plugin's bundled copies in "
                + dir
                + " (mvn nss:init writes them into the project)");
      }
      if (stageAgent) {
        Path staged = AgentStager.stage(agentJar, context);
        log.accept("Staged the nss-entrypoint agent at " + staged);
      }
    } catch (IOException e) {
      throw new CommandFailedException(
          "Could not prepare the build context "
              + context
              + ": "
              + e.getMessage()
              + ". Check that the directory is writable.",
          -1);
    }
  }

  // synchronized: the shutdown hook of an interrupted build and the goal's finally may both run it.
  private synchronized void cleanUp(BuildInputs inputs, boolean staged) {
    if (!staged || cli.dryRun()) {
      return;
    }
    try {
      AgentStager.cleanUp(inputs.context());
    } catch (IOException e) {
      log.accept(
          "Could not remove "
              + inputs.context().resolve(AgentStager.STAGING_DIR)
              + ": "
              + e.getMessage());
    }
  }
}
