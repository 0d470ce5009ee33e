package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs image builds: stages what the build reads (the agent jar, the bundled Dockerfiles), streams
 * the build, and removes what was staged, also when Maven is stopped meanwhile.
 */
final class ImageBuilder {

  private final ContainerCli cli;
  private final Consumer<String> log;
  private final Path agentJar;

  /**
   * @param cli the goal's CLI (its dry-run mode decides whether anything is staged)
   * @param agentJar the nss-entrypoint jar of the plugin's version, staged into GPU image builds
   */
  ImageBuilder(ContainerCli cli, Consumer<String> log, Path agentJar) {
    this.cli = cli;
    this.log = log;
    this.agentJar = agentJar;
  }

  void build(Step.Build step) throws CommandFailedException {
    build(cli, step.argv(), step.spec().inputs(), step.spec().stageAgent());
  }

  /**
   * Stages what the build needs, runs it through {@code via} (this goal's CLI, or a registry's with
   * its login), and removes what was staged.
   */
  void build(ContainerCli via, List<String> argv, BuildInputs inputs, boolean stageAgent)
      throws CommandFailedException {
    String warning = ContextFilter.missingWarning(argv.get(0), inputs);
    if (warning != null) {
      log.accept(warning);
    }
    prepareFiles(argv.get(0), inputs, stageAgent);
    try {
      // On Ctrl-C, Maven's shutdown hook removes the staged agent too: this thread's finally may
      // never run.
      via.stream(argv, () -> cleanUp(inputs, stageAgent));
    } finally {
      cleanUp(inputs, stageAgent);
    }
  }

  /** A build {@code FROM} the image with its labels, from a Containerfile in a temporary dir. */
  void relabel(Step.Relabel step) throws CommandFailedException {
    Path dir =
        cli.dryRun() ? Path.of(System.getProperty("java.io.tmpdir"), "nss-relabel-XXXXXX") : null;
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("nss-relabel-");
        Files.writeString(
            dir.resolve("Containerfile"),
            "FROM " + step.spec().tag() + "\n",
            StandardCharsets.UTF_8);
      }
      cli.stream(step.argv(dir));
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

  private void prepareFiles(String engineCli, BuildInputs inputs, boolean stageAgent)
      throws CommandFailedException {
    if (cli.dryRun()) {
      return;
    }
    Path context = inputs.context();
    try {
      if (inputs.bundledDockerfile()) {
        Path dir = inputs.dockerfile().getParent();
        BundledContainers.writeAll(dir, engineCli, context);
        Path own = ContextFilter.own(engineCli, context);
        log.accept(
            "No containers/ Dockerfile in the project: using the plugin's bundled copies in "
                + dir
                + (own == null
                    ? " with the bundled context filter beside them"
                    : " with the project's context filter " + own)
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
