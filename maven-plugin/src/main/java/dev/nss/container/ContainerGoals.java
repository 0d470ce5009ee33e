package dev.nss.container;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The work of each container goal, Maven-free: check every setting, then stage files, then call the CLI. Nothing reaches
 * the engine before all checks have passed.
 */
public final class ContainerGoals {

  private final ContainerCli cli;
  private final Consumer<String> log;
  private final Path agentJar;
  private final Charset argvCharset;

  /**
   * @param agentJar the nss-entrypoint jar of the plugin's version, staged into GPU image builds
   */
  public ContainerGoals(ContainerCli cli, Consumer<String> log, Path agentJar) {
    this(cli, log, agentJar, ArgvEncoding.platform());
  }

  /** @param argvCharset the charset the JVM encodes child process arguments with (see {@link ArgvEncoding}) */
  public ContainerGoals(ContainerCli cli, Consumer<String> log, Path agentJar, Charset argvCharset) {
    this.cli = cli;
    this.log = log;
    this.agentJar = agentJar;
    this.argvCharset = argvCharset;
  }

  /** build-gpu ({@code dev} false) and build-gpu-dev. */
  public void buildGpu(GoalSettings settings, boolean dev) throws InvalidSettingException, ContainerCommandException {
    build(checked(SettingsValidator.gpuBuild(settings, dev)), settings);
  }

  /** build-test. */
  public void buildTest(GoalSettings settings) throws InvalidSettingException, ContainerCommandException {
    build(checked(SettingsValidator.testBuild(settings)), settings);
  }

  /** run-gpu ({@code dev} false) and run-gpu-dev: build unless {@code skipBuild}, create the HF cache, run. */
  public void runGpu(GoalSettings settings, boolean dev, boolean skipBuild)
      throws InvalidSettingException, ContainerCommandException {
    RunSpec run = checked(SettingsValidator.gpuRun(settings, dev));
    if (!skipBuild) {
      build(checked(SettingsValidator.gpuBuild(settings, dev)), settings);
    }
    cli.mkdirs(run.hfCache());
    cli.interactive(Commands.run(run), run.name());
  }

  /** test-ci: build-test unless {@code skipBuild}, then run the test image on the project. */
  public void testCi(GoalSettings settings, boolean skipBuild) throws InvalidSettingException, ContainerCommandException {
    RunSpec run = checked(SettingsValidator.testRun(settings));
    if (!skipBuild) {
      build(checked(SettingsValidator.testBuild(settings)), settings);
    }
    cli.interactive(Commands.run(run), run.name());
  }

  /** build-gpu-multiarch: needs a registry and docker with buildx; logs in when credentials are given. */
  public void buildMultiArch(GoalSettings settings, RegistryCredentials credentials)
      throws InvalidSettingException, ContainerCommandException {
    MultiArchSpec spec = SettingsValidator.multiArch(settings);
    ArgvEncoding.check(Commands.multiArchBuild(spec), argvCharset);
    AgentStager.checkNotIgnored(spec.inputs().context(), spec.inputs().dockerfile());
    if (!cli.dryRun() && !cli.probe(Commands.buildxVersion(spec.cli()))) {
      throw new InvalidSettingException(PropertyNames.CONTAINER_CLI, "`" + spec.cli() + " buildx version` failed: "
          + "build-gpu-multiarch requires docker with buildx",
          "Install the docker buildx plugin, or set -Dnss.containerCli to a docker CLI that has it.");
    }
    prepareFiles(spec.inputs(), true, settings);
    try {
      if (credentials != null) {
        cli.withStdin(Commands.login(spec.cli(), credentials.username(), loginServer(spec.registry())),
            credentials.password().getBytes(StandardCharsets.UTF_8));
      }
      cli.stream(Commands.multiArchBuild(spec));
    } finally {
      cleanUp(spec.inputs(), true);
    }
  }

  /** init: writes the bundled container files into the project; refuses to overwrite unless {@code force}. */
  public void init(Path containersDir, Path context, boolean force) throws InvalidSettingException, IOException {
    List<Path> targets = new ArrayList<>();
    for (String name : BundledContainers.FILES) {
      targets.add(containersDir.resolve(name));
    }
    targets.add(context.resolve(".dockerignore"));
    List<String> existing = new ArrayList<>();
    for (Path target : targets) {
      if (Files.exists(target)) {
        existing.add(target.toString());
      }
    }
    if (!existing.isEmpty() && !force) {
      throw new InvalidSettingException(PropertyNames.FORCE, "not overwriting " + String.join(", ", existing),
          "Edit the files in place, delete them, or overwrite them with -Dnss.force=true.");
    }
    for (Path target : targets) {
      String name = target.getFileName().toString();
      if (cli.dryRun()) {
        log.accept(ContainerCli.DRY_RUN_PREFIX + "write " + target);
      } else {
        BundledContainers.write(name, target);
        log.accept("Wrote " + target);
      }
    }
  }

  private BuildSpec checked(BuildSpec spec) throws InvalidSettingException {
    ArgvEncoding.check(Commands.build(spec), argvCharset);
    if (spec.stageAgent()) {
      AgentStager.checkNotIgnored(spec.inputs().context(), spec.inputs().dockerfile());
    }
    return spec;
  }

  private RunSpec checked(RunSpec spec) throws InvalidSettingException {
    ArgvEncoding.check(Commands.run(spec), argvCharset);
    return spec;
  }

  private void build(BuildSpec spec, GoalSettings settings) throws ContainerCommandException {
    prepareFiles(spec.inputs(), spec.stageAgent(), settings);
    try {
      cli.stream(Commands.build(spec));
    } finally {
      cleanUp(spec.inputs(), spec.stageAgent());
    }
  }

  private void prepareFiles(BuildInputs inputs, boolean stageAgent, GoalSettings settings)
      throws ContainerCommandException {
    if (cli.dryRun()) {
      return;
    }
    Path context = inputs.context();
    try {
      if (inputs.bundledDockerfile()) {
        Path dir = BundledContainers.directory(settings.buildDirectory());
        BundledContainers.writeAll(dir);
        log.accept("No containers/ Dockerfile in the project: using the plugin's bundled copies in " + dir
            + " (mvn nss:init writes them into the project)");
      }
      if (stageAgent) {
        Path staged = AgentStager.stage(agentJar, context);
        log.accept("Staged the nss-entrypoint agent at " + staged);
      }
    } catch (IOException e) {
      throw new ContainerCommandException("Could not prepare the build context " + context + ": " + e.getMessage()
          + ". Check that the directory is writable.", -1);
    }
  }

  private void cleanUp(BuildInputs inputs, boolean staged) {
    if (!staged || cli.dryRun()) {
      return;
    }
    try {
      AgentStager.cleanUp(inputs.context());
    } catch (IOException e) {
      log.accept("Could not remove " + inputs.context().resolve(AgentStager.STAGING_DIR) + ": " + e.getMessage());
    }
  }

  /** The host part of {@code host[:port][/namespace]}, or null when it names a Docker Hub namespace. */
  static String loginServer(String registry) {
    String first = registry.split("/", 2)[0];
    boolean isHost = first.contains(".") || first.contains(":") || first.equals("localhost");
    return isHost ? first : null;
  }
}
