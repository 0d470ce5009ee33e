package dev.nss.maven;

import dev.nss.container.GoalSettings;
import dev.nss.container.ImageBuilds;
import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Builds the GPU runtime image (Makefile {@code container-build-gpu}): {@code CONTAINER build
 * --platform P --tag IMAGE --target runtime --progress=plain -f containers/Dockerfile.cuda .}
 *
 * @since 0.1.0
 */
@Mojo(name = "build-gpu", threadSafe = true, requiresProject = true)
public class BuildGpuMojo extends AbstractNssMojo {

  @Override
  void execute(GoalSettings settings) throws InvalidSettingException, CommandFailedException {
    runner().run(ImageBuilds.gpu(settings, false));
  }
}
