package dev.nss.doctor;

/** {@code buildx}: needed only by {@code build-gpu-multiarch}, so its absence is a warning. */
final class BuildxCheck implements Check {

  @Override
  public String id() {
    return "buildx";
  }

  @Override
  public String description() {
    return "docker buildx present (build-gpu-multiarch only; a warning otherwise)";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    if (context.cliPath().isEmpty()) {
      return Finding.warning("not checked: " + context.cli() + " not found", CliCheck.fix(context));
    }
    if (context.isPodman()) {
      return Finding.warning(
          "podman: build-gpu-multiarch requires docker with buildx",
          "for multi-arch images use docker with buildx: -Dnss.containerCli=docker");
    }
    CommandResult result = context.cli("buildx", "version");
    if (result.succeeded()) {
      return Finding.ok(CommandResult.firstLine(result.stdout()));
    }
    return Finding.warning(
        "not installed ("
            + (result.timedOut() ? result.describeFailure() : result.firstErrorLine())
            + "); only build-gpu-multiarch needs it",
        "install the docker-buildx-plugin package (or the buildx binary in ~/.docker/cli-plugins/)");
  }
}
