package dev.nss.maven;

import dev.nss.container.ContainerCommandException;
import dev.nss.container.ContainerGoals;
import dev.nss.container.GoalSettings;
import dev.nss.container.InvalidSettingException;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the runtime image, then runs it with the project at /workspace (Makefile {@code container-run-gpu}). The
 * container's stdin, stdout and stderr are the user's; Ctrl-C or a terminated Maven removes the container.
 *
 * @since 0.1.0
 */
@Mojo(name = "run-gpu", threadSafe = true, requiresProject = true)
public class RunGpuMojo extends AbstractNssMojo {

  /**
   * Host directory mounted at {@code /workspace/.hf_cache} and exported as {@code HF_HOME} (Makefile {@code HF_CACHE});
   * created when missing.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.hfCache", defaultValue = "${user.home}/.cache/huggingface")
  String hfCache;

  /**
   * GPU flags of {@code run} (Makefile {@code GPU_FLAG}), split like shell words. Empty ({@code -Dnss.gpuFlag=}) runs
   * without a GPU.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.gpuFlag", defaultValue = GoalSettings.DEFAULT_GPU_FLAG)
  String gpuFlag;

  /**
   * Extra {@code run} flags such as {@code --mount}/{@code -v} (Makefile {@code EXTRA_MOUNTS}), split like shell words:
   * quotes group, nothing is expanded ({@code $HOME}, {@code ~} and globs stay literal).
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.extraMounts")
  String extraMounts;

  /**
   * The command after the image (Makefile {@code CMD}) as one string split like shell words, with quotes honoured and
   * no expansion. Default: {@code --help} for run-gpu (the image's entrypoint runs safe-synthesizer), {@code make test}
   * for run-gpu-dev. {@code -Dnss.cmd=} passes no command.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.cmd")
  String cmdLine;

  /**
   * The command as exact arguments, one {@code <arg>} each (an empty {@code <arg/>} is an empty argument). When set it
   * wins over {@code nss.cmd}.
   *
   * @since 0.1.0
   */
  @Parameter
  List<String> cmd;

  /**
   * Shared-memory size of the container ({@code --shm-size}), e.g. {@code 1g} or {@code 512m}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.shmSize", defaultValue = GoalSettings.DEFAULT_SHM_SIZE)
  String shmSize;

  /**
   * Run the existing image without building it first.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.skipBuild", defaultValue = "false")
  boolean skipBuild;

  /**
   * Attach a terminal ({@code --interactive --tty}). Default: on when Maven itself runs in a terminal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.interactive")
  Boolean interactive;

  /** run-gpu-dev runs the dev image. */
  boolean dev() {
    return false;
  }

  @Override
  GoalSettings settings() {
    return super.settings()
        .hfCache(hfCache)
        .gpuFlag(explicit("nss.gpuFlag", gpuFlag))
        .extraMounts(explicit("nss.extraMounts", extraMounts))
        .cmd(explicit("nss.cmd", cmdLine))
        .cmdList(cmd)
        .shmSize(shmSize)
        .interactive(interactive(interactive));
  }

  @Override
  void execute(ContainerGoals goals, GoalSettings settings) throws InvalidSettingException, ContainerCommandException {
    goals.runGpu(settings, dev(), skipBuild);
  }
}
