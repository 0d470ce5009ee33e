package dev.nss.container;

import dev.nss.core.CommandFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A plan's user flags as the engine needs them: for {@code nss.user=auto} on docker, asks once
 * whether the daemon is rootless ({@code name=rootless} among its security options), where the
 * container's root is the host user and {@code --user UID:GID} would be a subordinate id that
 * cannot write the project. Asked in planning, before any step and in a dry run too; an engine that
 * does not answer keeps the rootful flags (its next command reports the failure).
 */
final class EngineUser {

  private final ContainerCli cli;
  private final Consumer<String> log;

  EngineUser(ContainerCli cli, Consumer<String> log) {
    this.cli = cli;
    this.log = log;
  }

  Plan adapt(Plan plan) throws CommandFailedException {
    List<Step> steps = new ArrayList<>();
    for (Step step : plan.steps()) {
      steps.add(step instanceof Step.Run run ? new Step.Run(adapt(run.spec())) : step);
    }
    return new Plan(steps);
  }

  RunSpec adapt(RunSpec run) throws CommandFailedException {
    if (run.userFlagsIfRootless() == null) {
      return run;
    }
    String options;
    try {
      options = cli.query(Commands.securityOptions(run.cli()));
    } catch (CommandFailedException e) {
      if (e.unanswered()) {
        throw e; // a hung engine: every later command would hang too
      }
      return run.withUserFlags(run.userFlags());
    }
    if (!options.contains("name=rootless")) {
      return run.withUserFlags(run.userFlags());
    }
    log.accept(
        "The docker engine is rootless: its container root is you, so the program runs as it,"
            + " without capabilities");
    return run.withUserFlags(run.userFlagsIfRootless());
  }
}
