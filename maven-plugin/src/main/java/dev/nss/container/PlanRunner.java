package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.engine.RunOwner;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs any {@link Plan}: first every check that needs no engine (argv encoding, the build context
 * filter), then what only the engine can answer (the base image's digest, podman's GPU flags,
 * whether docker is rootless), then each step in order. In dry-run mode the CLI prints each command
 * instead of running it, so the same plan is printed.
 */
public final class PlanRunner {

  private final ContainerCli cli;
  private final ImageBuilder builder;
  private final Charset argvCharset;
  private final RunOwner owner;
  private final EngineGpus gpus;
  private final EngineUser users;
  private final Consumer<String> log;
  private final BaseLabels baseLabels;

  /**
   * @param agentJar the nss-entrypoint jar of the plugin's version, staged into GPU image builds
   * @param argvCharset the charset the JVM encodes child process arguments with (see {@link
   *     ArgvEncoding})
   * @param owner the Maven process whose containers these are (their labels)
   * @param cdiHost maps each CDI spec directory to where it is read ({@code Path::of} for real)
   */
  public PlanRunner(
      ContainerCli cli,
      Consumer<String> log,
      Path agentJar,
      Charset argvCharset,
      RunOwner owner,
      Function<String, Path> cdiHost) {
    this.cli = cli;
    this.log = log;
    this.builder = new ImageBuilder(cli, log, agentJar);
    this.argvCharset = argvCharset;
    this.owner = owner;
    this.gpus = new EngineGpus(cli, log, cdiHost);
    this.users = new EngineUser(cli, log);
    this.baseLabels = new BaseLabels(cli, log);
  }

  /** The plan's commands, run in order (printed only, in dry-run mode). */
  public void run(Plan plan) throws InvalidSettingException, CommandFailedException {
    check(plan);
    for (Step step : users.adapt(gpus.adapt(baseLabels.adapt(plan))).steps()) {
      if (step instanceof Step.Build build) {
        builder.build(build);
      } else if (step instanceof Step.Relabel relabel) {
        builder.relabel(relabel);
      } else if (step instanceof Step.PushCache push) {
        for (List<String> argv : push.argvs()) {
          cli.stream(argv);
        }
      } else if (step instanceof Step.Pull pull) {
        pull(pull);
      } else if (step instanceof Step.MakeDirs dirs) {
        cli.mkdirs(dirs.property(), dirs.dirs().toArray(Path[]::new));
      } else if (step instanceof Step.Run run) {
        cli.run(Commands.create(run.spec(), owner), run.spec().name(), run.spec().interactive());
      }
    }
  }

  /**
   * Pulls the run's image unless the policy is {@code missing} and the local store has it (asked in
   * dry-run mode too, so that a dry run prints the pull that would run).
   */
  private void pull(Step.Pull pull) throws CommandFailedException {
    if (pull.policy() == PullPolicy.MISSING && isLocal(cli.ask(pull.inspect()))) {
      log.accept(
          "[nss] "
              + pull.image()
              + " is in the local image store: not pulled ("
              + PropertyNames.PULL
              + "=missing)");
      return;
    }
    cli.stream(pull.argv());
  }

  /**
   * Whether {@code image inspect} found the image; an answer other than "no such image" (an
   * unreachable engine) fails as any command does.
   */
  private boolean isLocal(ContainerCli.Output inspect) throws CommandFailedException {
    if (inspect.exitCode() == 0) {
      return true;
    }
    String said = inspect.stderr().toLowerCase(java.util.Locale.ROOT);
    if (said.contains("no such image") || said.contains("image not known")) {
      return false;
    }
    throw cli.failure(inspect);
  }

  /** What can fail before the engine is asked anything: the run's argv first, then the builds. */
  void check(Plan plan) throws InvalidSettingException {
    if (plan.run().isPresent()) {
      ArgvEncoding.check(Commands.create(plan.run().get(), owner), argvCharset);
    }
    for (Step step : plan.steps()) {
      if (step instanceof Step.Build build) {
        ArgvEncoding.check(build.argv(), argvCharset);
        if (build.spec().stageAgent()) {
          BuildInputs inputs = build.spec().inputs();
          AgentStager.checkNotIgnored(build.spec().cli(), inputs);
        }
      }
    }
  }

  /**
   * Runs image builds for the publishing goals (their strategies stage and stream the same way).
   */
  ImageBuilder builder() {
    return builder;
  }
}
