package dev.nss.maven;

import dev.nss.container.ProjectInit;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes the plugin's bundled {@code Dockerfile.cuda}, {@code Dockerfile.test_ci} and {@code
 * .dockerignore} into the project's {@code containers/} directory, and the {@code .dockerignore}
 * also into the build context, for customising. Existing files are kept unless {@code nss.force} is
 * set.
 *
 * @since 0.1.0
 */
@Mojo(name = "init", threadSafe = true, requiresProject = true)
public class InitMojo extends NssMojo {

  /**
   * Overwrite files that already exist.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.FORCE, defaultValue = PropertyNames.FORCE_DEFAULT)
  boolean force;

  /**
   * Where the Dockerfiles go.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = PropertyNames.CONTAINERS_DIRECTORY,
      defaultValue = PropertyNames.CONTAINERS_DIRECTORY_DEFAULT)
  File containersDirectory;

  @Override
  void run() throws InvalidSettingException, IOException {
    Path contextDir = context.toPath().toAbsolutePath().normalize();
    try {
      new ProjectInit(getLog()::info, dryRun)
          .init(containersDirectory.toPath().toAbsolutePath().normalize(), contextDir, force);
    } catch (IOException e) {
      throw new IOException("Could not write the container files: " + e.getMessage(), e);
    }
  }
}
