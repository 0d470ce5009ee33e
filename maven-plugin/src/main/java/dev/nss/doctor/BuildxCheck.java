package dev.nss.doctor;

import dev.nss.core.CommandResult;

/**
 * {@code buildx}: only {@code build-gpu-multiarch} uses it, and builds per platform without it, so
 * its absence is a warning.
 */
final class BuildxCheck implements Check {

  @Override
  public String id() {
    return "buildx";
  }

  @Override
  public String description() {
    return "docker buildx present (build-gpu-multiarch uses it where it exists; a warning otherwise)";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    if (context.cliPath().isEmpty()) {
      return Finding.warning("not checked: " + context.cli() + " not found", CliCheck.fix(context));
    }
    if (context.isPodman()) {
      return Finding.ok(
          "podman: build-gpu-multiarch uses podman build --manifest (no buildx needed)");
    }
    CommandResult result = context.cli("buildx", "version");
    if (result.succeeded()) {
      return Finding.ok(CommandResult.firstLine(result.stdout()));
    }
    return Finding.warning(
        "not installed ("
            + (result.timedOut() ? result.describeFailure() : result.firstErrorLine())
            + "); build-gpu-multiarch then builds each platform and pushes a manifest list",
        "for nss.builder, nss.cacheFrom and nss.cacheTo install the docker-buildx-plugin package (or the buildx binary "
            + "in ~/.docker/cli-plugins/)"
            + BuildKitClients.another(context)
                .filter(o -> o.contains("has buildx"))
                .map(o -> ", or use " + o)
                .orElse(""));
  }
}
