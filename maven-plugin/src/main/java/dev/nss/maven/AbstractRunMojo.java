package dev.nss.maven;

import dev.nss.container.GoalSettings;
import dev.nss.core.PropertyNames;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;

/** Parameters of the goals that run a container: run-gpu, run-gpu-dev and test-ci. */
public abstract class AbstractRunMojo extends AbstractNssMojo {

  /**
   * The command after the image (Makefile {@code CMD}) as one string split like shell words, with
   * quotes honoured and no expansion. Default: {@code --help} for run-gpu (the image's entrypoint
   * runs safe-synthesizer), {@code make test} for run-gpu-dev, {@code make test-ci} for test-ci.
   * {@code -Dnss.cmd=} passes no command.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CMD)
  String cmdLine;

  /**
   * The command as exact arguments, one {@code <arg>} each (an empty {@code <arg/>} is an empty
   * argument). When set it wins over {@code nss.cmd}.
   *
   * @since 0.1.0
   */
  @Parameter List<String> cmd;

  /**
   * Run the existing image without building it first.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SKIP_BUILD, defaultValue = PropertyNames.SKIP_BUILD_DEFAULT)
  boolean skipBuild;

  /**
   * Attach a terminal ({@code --interactive --tty}). Default: on when Maven itself runs in a
   * terminal.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.INTERACTIVE)
  Boolean interactive;

  /**
   * Who the program runs as: {@code auto} (the user running Maven: {@code --user UID:GID} with
   * {@code HOME=/tmp}, plus {@code --userns=keep-id} on rootless podman; the container's root
   * without capabilities, {@code --cap-drop=ALL --security-opt=no-new-privileges}, for root on a
   * rootful engine and for anyone on rootless docker), so that what it writes under /workspace and
   * the HF cache is that user's; {@code image} (the image's own user, {@code appuser} uid 1000 in
   * the GPU images); or numeric {@code UID:GID}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.USER, defaultValue = PropertyNames.USER_DEFAULT)
  String user;

  /**
   * With {@code nss.skipBuild}, when the run pulls its image, in a step of its own before the
   * container is created: {@code missing} (only when the local image store has no image of that
   * name), {@code always}, or {@code never} (a missing image fails the run). The create itself
   * never pulls. The engine's own registry login is used ({@code docker login}, {@code podman
   * login}).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.PULL, defaultValue = PropertyNames.PULL_DEFAULT)
  String pull;

  /**
   * podman: pull the image over plain HTTP or from a registry whose certificate cannot be verified
   * ({@code --tls-verify=false}); docker follows its daemon's insecure-registry rules.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = PropertyNames.REGISTRY_INSECURE,
      defaultValue = PropertyNames.REGISTRY_INSECURE_DEFAULT)
  boolean registryInsecure;

  @Override
  GoalSettings settings() {
    return super.settings()
        .cmdLine(explicit(PropertyNames.CMD, cmdLine))
        .cmd(cmd)
        .interactive(interactive(interactive))
        .user(user)
        .pull(pull)
        .registryInsecure(registryInsecure)
        .hostUser(HostUser.uid(), HostUser.gid());
  }
}
