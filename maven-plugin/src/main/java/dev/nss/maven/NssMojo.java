package dev.nss.maven;

import dev.nss.container.LoginLeftovers;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.doctor.DoctorFailedException;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The base of every goal: the settings the goals share, {@code nss.skip}, the sweep of registry
 * logins that killed Mavens left behind, and the one place where the core's failures become
 * Maven's. A goal ignores the shared settings it has no use for.
 */
public abstract class NssMojo extends AbstractMojo {

  /**
   * Skip this goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SKIP, defaultValue = PropertyNames.SKIP_DEFAULT)
  boolean skip;

  /**
   * Log each container command (or, for init, each file) on a line starting with {@code [dry-run] }
   * and run nothing: no build, no run, no directories created, no files staged or written. Not used
   * by doctor.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DRY_RUN, defaultValue = PropertyNames.DRY_RUN_DEFAULT)
  boolean dryRun;

  /**
   * The container CLI (Makefile {@code CONTAINER}): a name looked up on PATH or a path. Default:
   * {@code podman} when it is on PATH, else {@code docker}. Where the first docker on PATH lacks
   * buildx, name the engine's own client, e.g. {@code /usr/bin/docker}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CONTAINER_CLI)
  String containerCli;

  /**
   * The build context directory (Makefile: the repository root, {@code .}). The agent is staged
   * into {@code <context>/.nss-build/}; init writes a {@code .dockerignore} there.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CONTEXT, defaultValue = PropertyNames.CONTEXT_DEFAULT)
  File context;

  /**
   * Host directory mounted at {@code /workspace/.hf_cache} and exported as {@code HF_HOME} by the
   * run goals (Makefile {@code HF_CACHE}); created when missing. The doctor checks it.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.HF_CACHE, defaultValue = PropertyNames.HF_CACHE_DEFAULT)
  String hfCache;

  /**
   * GPU flags of {@code run} (Makefile {@code GPU_FLAG}), split like shell words. Empty ({@code
   * -Dnss.gpuFlag=}) runs without a GPU, and makes a missing NVIDIA runtime or GPU a doctor warning
   * instead of an error.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.GPU_FLAG, defaultValue = PropertyNames.GPU_FLAG_DEFAULT)
  String gpuFlag;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping: " + PropertyNames.SKIP + " is true.");
      return;
    }
    if (!dryRun) {
      LoginLeftovers.sweep(getLog()::info);
    }
    try {
      run();
    } catch (InvalidSettingException | CommandFailedException | DoctorFailedException e) {
      throw new MojoFailureException(e.getMessage());
    } catch (IOException e) {
      throw new MojoExecutionException("I/O error: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("Interrupted", e);
    }
  }

  /** The goal's work; it throws the core's exceptions, which are mapped to Maven's here only. */
  abstract void run()
      throws InvalidSettingException,
          CommandFailedException,
          DoctorFailedException,
          IOException,
          InterruptedException;

  /** {@code nss.gpuFlag}, where {@code -Dnss.gpuFlag=} means no flag. */
  String gpuFlag() {
    return explicit(PropertyNames.GPU_FLAG, gpuFlag);
  }

  /**
   * The value of a string property the user set to empty on the command line ({@code
   * -Dnss.gpuFlag=}) is "", which means "none"; Maven would otherwise hand the parameter its
   * default.
   */
  String explicit(String property, String parameterValue) {
    if (session != null) {
      for (Properties props : List.of(session.getUserProperties(), session.getSystemProperties())) {
        String value = props.getProperty(property);
        if (value != null && value.isEmpty()) {
          return "";
        }
      }
    }
    return parameterValue;
  }
}
