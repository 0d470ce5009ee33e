package dev.nss.maven;

import org.apache.maven.plugins.annotations.Mojo;

/**
 * Builds the dev image, then runs it with the project at /workspace (Makefile {@code
 * container-run-gpu-dev}); the default command is {@code make test}.
 *
 * @since 0.1.0
 */
@Mojo(name = "run-gpu-dev", threadSafe = true, requiresProject = true)
public class RunGpuDevMojo extends RunGpuMojo {

  @Override
  boolean dev() {
    return true;
  }
}
