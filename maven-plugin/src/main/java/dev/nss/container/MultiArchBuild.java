package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.engine.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** One way of building every platform of build-gpu-multiarch and pushing it under every tag. */
abstract class MultiArchBuild {

  final ContainerCli cli;
  final Consumer<String> log;
  final ImageBuilder builder;

  MultiArchBuild(ContainerCli cli, Consumer<String> log, ImageBuilder builder) {
    this.cli = cli;
    this.log = log;
    this.builder = builder;
  }

  /** Builds, logs in, pushes; returns the pushed list's digest (null when unknown). */
  abstract String buildAndPush(MultiArchSpec spec, RegistryPublisher registry)
      throws CommandFailedException;

  /**
   * podman: a manifest build; docker with buildx (or in a dry run): buildx; docker without it: one
   * build per platform. A named buildx builder needs buildx.
   */
  static MultiArchBuild choose(
      MultiArchSpec spec, ContainerCli cli, Consumer<String> log, ImageBuilder builder)
      throws InvalidSettingException {
    if (Engine.isPodman(spec.cli())) {
      return new PodmanManifest(cli, log, builder);
    }
    if (cli.dryRun() || cli.probe(Commands.buildxVersion(spec.cli()))) {
      return new Buildx(cli, log, builder);
    }
    if (spec.builder() != null) {
      throw new InvalidSettingException(
          PropertyNames.BUILDER,
          "names a buildx builder, but `" + spec.cli() + " buildx version` failed (no buildx)",
          "Install the docker buildx plugin, or unset nss.builder to build "
              + "each platform with this docker and push a manifest list.");
    }
    return new PerPlatform(cli, log, builder);
  }

  /**
   * One {@code buildx build --push} of every platform under every tag; the digest from its metadata
   * file.
   */
  static final class Buildx extends MultiArchBuild {
    Buildx(ContainerCli cli, Consumer<String> log, ImageBuilder builder) {
      super(cli, log, builder);
    }

    @Override
    String buildAndPush(MultiArchSpec spec, RegistryPublisher registry)
        throws CommandFailedException {
      log.accept(
          "Building "
              + spec.platforms()
              + " with buildx and pushing to "
              + spec.destination().repository());
      Path metadata = registry.session().newFile("metadata.json");
      registry.login();
      builder.build(registry.cli(), Commands.multiArchBuild(spec, metadata), spec.inputs(), true);
      return registry.buildxDigest(metadata);
    }
  }

  /**
   * One {@code podman build --manifest} of every platform, the list pushed with its images under
   * every tag.
   */
  static final class PodmanManifest extends MultiArchBuild {
    PodmanManifest(ContainerCli cli, Consumer<String> log, ImageBuilder builder) {
      super(cli, log, builder);
    }

    @Override
    String buildAndPush(MultiArchSpec spec, RegistryPublisher registry)
        throws CommandFailedException {
      String list = spec.destination().reference(spec.destination().tags().get(0));
      log.accept("Building " + spec.platforms() + " into the local manifest list " + list);
      // else the build adds to an earlier run's list
      cli.probe(RegistryCommands.manifestRemove(spec.cli(), list));
      try {
        builder.build(cli, Commands.manifestBuild(spec, list), spec.inputs(), true);
        registry.login();
        return registry.pushPodmanList(list);
      } finally {
        // Like docker's --purge: a local list whose images are later removed breaks `podman
        // images` (4.3).
        cli.probe(RegistryCommands.manifestRemove(spec.cli(), list));
      }
    }
  }

  /**
   * docker without buildx: a build and a push per platform ({@code TAG-os-arch}), then a manifest
   * list per tag.
   */
  static final class PerPlatform extends MultiArchBuild {
    PerPlatform(ContainerCli cli, Consumer<String> log, ImageBuilder builder) {
      super(cli, log, builder);
    }

    @Override
    String buildAndPush(MultiArchSpec spec, RegistryPublisher registry)
        throws CommandFailedException {
      log.accept(
          "No buildx in "
              + spec.cli()
              + ": building each of "
              + spec.platforms()
              + ", pushing each, then a manifest list");
      List<String> images = new ArrayList<>();
      for (String platform : spec.platforms().split(",")) {
        String image =
            spec.destination()
                .reference(spec.destination().tags().get(0) + "-" + platform.replace('/', '-'));
        builder.build(cli, Commands.platformBuild(spec, platform, image), spec.inputs(), true);
        images.add(image);
      }
      registry.login();
      for (String image : images) {
        registry.pushTagged(image);
      }
      return registry.pushManifestList(images);
    }
  }
}
