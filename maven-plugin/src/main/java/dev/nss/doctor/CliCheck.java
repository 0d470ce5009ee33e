package dev.nss.doctor;

import dev.nss.core.CommandResult;

/** {@code cli}: the container CLI the goals would use exists, and its version. */
final class CliCheck implements Check {

  @Override
  public String id() {
    return "cli";
  }

  @Override
  public String description() {
    return "Container CLI found (nss.containerCli, else podman on PATH, else docker) and its version";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    if (context.cliPath().isEmpty()) {
      return Finding.error(context.cli() + " not found on PATH", fix(context));
    }
    String where = context.cliPath().get().toString();
    CommandResult version = context.cli("--version");
    if (version.timedOut()) {
      // The docker CLI contacts the engine even for --version, so a hung engine shows here too.
      return Finding.warning(
          "found at "
              + where
              + ", but --version "
              + version.describeFailure()
              + " (it contacts the engine first)",
          "see the engine check");
    }
    if (!version.succeeded()) {
      return Finding.error(
          where + " does not run: " + version.describeFailure(),
          "reinstall it, or pick another CLI: -Dnss.containerCli=/path/to/docker");
    }
    return Finding.ok(CommandResult.firstLine(version.stdout()) + " at " + where);
  }

  static String fix(CheckContext context) {
    if (context.settings().containerCli().isEmpty()) {
      return "install Docker Engine or Podman, or name the CLI: -Dnss.containerCli=/path/to/docker";
    }
    return "install "
        + context.cli()
        + " or correct -Dnss.containerCli (now '"
        + context.cli()
        + "')";
  }
}
