package dev.nss.container;

import java.nio.file.Path;
import java.util.List;

/**
 * One command of a goal's {@link Plan}: a value that says what will run, so that the same plan is
 * run ({@link PlanRunner}), printed ({@code nss.dryRun}) or written into a Slurm job script.
 */
public sealed interface Step {

  /**
   * An image build; its output streams into the log. Stages the agent (and the bundled Dockerfiles
   * when the project has none) first; on Ctrl-C, Maven's shutdown hook stops it and removes what
   * was staged.
   */
  record Build(BuildSpec spec) implements Step {
    public List<String> argv() {
      return Commands.build(spec);
    }
  }

  /**
   * podman: a one-step build {@code FROM} the image just built, with the labels, so that a build
   * whose layers were all cached does not keep an earlier commit's labels (buildah 1.28 keeps a
   * cached image's labels when the target is not the Dockerfile's last stage).
   */
  record Relabel(BuildSpec spec) implements Step {
    /** The build of {@code dir/Containerfile}, a directory made when the step runs. */
    public List<String> argv(Path dir) {
      return Commands.relabel(spec, dir);
    }
  }

  /**
   * docker without buildx: the inline cache reaches {@code nss.cacheTo} with the image itself, so
   * the image just built is tagged and pushed as each cache reference.
   */
  record PushCache(BuildSpec spec) implements Step {
    /** The commands, in order: tag and push for every cache reference. */
    public List<List<String>> argvs() {
      List<List<String>> argvs = new java.util.ArrayList<>();
      for (String ref : spec.cache().to()) {
        argvs.add(RegistryCommands.tag(spec.cli(), spec.tag(), ref));
        argvs.add(RegistryCommands.push(spec.cli(), ref));
      }
      return argvs;
    }
  }

  /**
   * A run of an image that this goal did not build: pulls it as {@code policy} says ({@code
   * missing}: only when {@code image inspect} finds no local image), with its output in the log, so
   * that the run's {@code create} never pulls ({@code --pull=never}). On Ctrl-C the pull client
   * ends and the goal stops before anything is created. {@code insecure}: podman's {@code
   * --tls-verify=false} ({@code nss.registryInsecure}).
   */
  record Pull(String cli, String image, String platform, PullPolicy policy, boolean insecure)
      implements Step {
    public List<String> argv() {
      return RegistryCommands.pull(cli, image, platform, insecure);
    }

    /** The query whose exit code says whether the image is in the local store. */
    public List<String> inspect() {
      return RegistryCommands.imageId(cli, image);
    }
  }

  /**
   * Creates directories as the user running Maven (the engine would create a missing bind-mount
   * source as root). {@code property} is the setting a failure names.
   */
  record MakeDirs(String property, List<Path> dirs) implements Step {
    public MakeDirs {
      dirs = List.copyOf(dirs);
    }
  }

  /**
   * A container run: {@code create} through the keeper (so the id is always known), then {@code
   * start --attach}; on Ctrl-C the container is removed.
   */
  record Run(RunSpec spec) implements Step {}
}
