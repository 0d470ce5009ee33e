package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.engine.PlatformSupport;
import dev.nss.engine.RunOwner;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Each goal as its Mojo runs it — the plan from the settings, then the runner, the publishing goals
 * or init — for tests that drive goals through a fake CLI.
 */
final class GoalDriver {

  private final ContainerCli cli;
  private final Consumer<String> log;
  private final Path agentJar;
  private final Charset argvCharset;
  private final PlatformSupport platforms;
  private final RunOwner owner;
  private Function<String, Path> cdiHost = Path::of;

  GoalDriver(ContainerCli cli, Consumer<String> log, Path agentJar) {
    this(cli, log, agentJar, ArgvEncoding.platform());
  }

  GoalDriver(ContainerCli cli, Consumer<String> log, Path agentJar, Charset argvCharset) {
    this(cli, log, agentJar, argvCharset, PlatformSupport.ofThisHost(), RunOwner.current());
  }

  GoalDriver(
      ContainerCli cli,
      Consumer<String> log,
      Path agentJar,
      Charset argvCharset,
      PlatformSupport platforms,
      RunOwner owner) {
    this.cli = cli;
    this.log = log;
    this.agentJar = agentJar;
    this.argvCharset = argvCharset;
    this.platforms = platforms;
    this.owner = owner;
  }

  /** Reads CDI spec directories under a test root instead of the host's. */
  GoalDriver cdiHost(Function<String, Path> hostPath) {
    this.cdiHost = hostPath;
    return this;
  }

  PlanRunner runner() {
    return new PlanRunner(cli, log, agentJar, argvCharset, owner, cdiHost);
  }

  void buildGpu(GoalSettings settings, boolean dev)
      throws InvalidSettingException, CommandFailedException {
    runner().run(ImageBuilds.gpu(settings, dev));
  }

  /** build-gpu(-dev) with nss.registryServerId: through {@link CacheLogin}. */
  void buildGpu(GoalSettings settings, boolean dev, RegistryCredentials credentials)
      throws InvalidSettingException, CommandFailedException {
    CacheLogin.run(
        ImageBuilds.gpu(settings, dev),
        cli,
        via -> new PlanRunner(via, log, agentJar, argvCharset, owner, cdiHost),
        credentials,
        settings.environment,
        log);
  }

  void buildTest(GoalSettings settings) throws InvalidSettingException, CommandFailedException {
    runner().run(ImageBuilds.test(settings));
  }

  void runGpu(GoalSettings settings, boolean dev, boolean skipBuild)
      throws InvalidSettingException, CommandFailedException {
    runner().run(ContainerRuns.gpu(settings, dev, skipBuild));
  }

  void shell(GoalSettings settings, boolean skipBuild)
      throws InvalidSettingException, CommandFailedException {
    runner().run(ContainerRuns.shell(settings, skipBuild));
  }

  void testCi(GoalSettings settings, boolean skipBuild)
      throws InvalidSettingException, CommandFailedException {
    runner().run(ContainerRuns.testCi(settings, skipBuild));
  }

  void buildMultiArch(GoalSettings settings, RegistryCredentials credentials)
      throws InvalidSettingException, CommandFailedException, IOException {
    publishing().buildMultiArch(settings, credentials);
  }

  void push(GoalSettings settings, boolean dev, RegistryCredentials credentials)
      throws InvalidSettingException, CommandFailedException, IOException {
    publishing().push(settings, dev, credentials);
  }

  void init(Path containersDir, Path context, boolean force)
      throws InvalidSettingException, IOException {
    new ProjectInit(log, cli.dryRun()).init(containersDir, context, force);
  }

  private Publishing publishing() {
    return new Publishing(cli, log, runner(), argvCharset, platforms);
  }
}
