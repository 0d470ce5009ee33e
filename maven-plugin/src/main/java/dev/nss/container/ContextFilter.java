package dev.nss.container;

import dev.nss.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which ignore file filters a build's context, as the engines choose it: {@code
 * <Dockerfile>.dockerignore} beside the Dockerfile (BuildKit and buildah), else {@code
 * <context>/.dockerignore}; podman (buildah) also reads {@code <Dockerfile>.containerignore} and
 * {@code <context>/.containerignore}. A file anywhere else is not read.
 *
 * <p>The bundled Dockerfiles get the bundled filter as {@code <Dockerfile>.dockerignore} beside
 * them (under {@code target/nss/containers/}), unless the project has a filter of its own at the
 * context's root, which then decides (a file beside the Dockerfile would take precedence over it).
 */
final class ContextFilter {

  static final String CONTAINER_IGNORE = ".containerignore";

  private ContextFilter() {}

  /** {@code <dockerfile>.dockerignore}: where the bundled filter is written for a bundled build. */
  static Path besideDockerfile(Path dockerfile) {
    return dockerfile.resolveSibling(dockerfile.getFileName() + BundledContainers.IGNORE_FILE);
  }

  /** The project's own filter at the context's root, or null. */
  static Path own(String cli, Path context) {
    return firstFile(atContext(cli, context));
  }

  /**
   * The filter the engine reads for a build of {@code dockerfile} in {@code context}, as the files
   * are now; null when none applies.
   */
  static Path applied(String cli, Path context, Path dockerfile) {
    List<Path> candidates = new ArrayList<>();
    if (Engine.isPodman(cli)) {
      candidates.add(dockerfile.resolveSibling(dockerfile.getFileName() + CONTAINER_IGNORE));
    }
    candidates.add(besideDockerfile(dockerfile));
    candidates.addAll(atContext(cli, context));
    return firstFile(candidates);
  }

  /**
   * The filter a build will use once the bundled files are written: the project's own for a bundled
   * Dockerfile (null: the bundled one), else {@link #applied}.
   */
  static Path forBuild(String cli, BuildInputs inputs) {
    return inputs.bundledDockerfile()
        ? own(cli, inputs.context())
        : applied(cli, inputs.context(), inputs.dockerfile());
  }

  /** The warning for a build whose context no filter covers, or null when one does. */
  static String missingWarning(String cli, BuildInputs inputs) {
    if (inputs.bundledDockerfile() || forBuild(cli, inputs) != null) {
      return null;
    }
    return "WARNING: no .dockerignore filters the build context "
        + inputs.context()
        + " of "
        + inputs.dockerfile()
        + ": every file in it (.git/ with its credentials, .env, .netrc, keys) is sent to the"
        + " engine, and a COPY . puts it into the image. Add "
        + inputs.context().resolve(BundledContainers.IGNORE_FILE)
        + " (mvn nss:init writes the nss filter there, or adds its patterns to yours) or "
        + besideDockerfile(inputs.dockerfile())
        + ".";
  }

  private static List<Path> atContext(String cli, Path context) {
    List<Path> files = new ArrayList<>();
    if (Engine.isPodman(cli)) {
      files.add(context.resolve(CONTAINER_IGNORE));
    }
    files.add(context.resolve(BundledContainers.IGNORE_FILE));
    return files;
  }

  private static Path firstFile(List<Path> candidates) {
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }
}
