package dev.nss.maven;

import dev.nss.container.ContainerCli;
import dev.nss.container.ContainerGoals;
import dev.nss.container.InvalidSettingException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes the plugin's bundled {@code Dockerfile.cuda}, {@code Dockerfile.test_ci} and {@code .dockerignore} into the
 * project's {@code containers/} directory, and the {@code .dockerignore} also into the build context, for customising.
 * Existing files are kept unless {@code nss.force} is set.
 *
 * @since 0.1.0
 */
@Mojo(name = "init", threadSafe = true, requiresProject = true)
public class InitMojo extends AbstractMojo {

  /**
   * Overwrite files that already exist.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.force", defaultValue = "false")
  boolean force;

  /**
   * Skip this goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.skip", defaultValue = "false")
  boolean skip;

  /**
   * List the files that would be written, on lines starting with {@code [dry-run] }, and write nothing.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.dryRun", defaultValue = "false")
  boolean dryRun;

  /**
   * The build context directory, which gets the {@code .dockerignore}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.context", defaultValue = "${project.basedir}")
  File context;

  /**
   * Where the Dockerfiles go.
   *
   * @since 0.1.0
   */
  @Parameter(property = "nss.containersDirectory", defaultValue = "${project.basedir}/containers")
  File containersDirectory;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping: nss.skip is true.");
      return;
    }
    Path contextDir = context.toPath().toAbsolutePath().normalize();
    ContainerCli cli = new ContainerCli(ProcessBuilder::new, contextDir, getLog()::info, dryRun, System.err, null);
    try {
      new ContainerGoals(cli, getLog()::info, null)
          .init(containersDirectory.toPath().toAbsolutePath().normalize(), contextDir, force);
    } catch (InvalidSettingException e) {
      throw new MojoFailureException(e.getMessage());
    } catch (IOException e) {
      throw new MojoExecutionException("Could not write the container files: " + e.getMessage(), e);
    }
  }
}
