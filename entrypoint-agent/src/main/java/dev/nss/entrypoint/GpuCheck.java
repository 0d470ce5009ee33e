package dev.nss.entrypoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code gpu} check: the container got the GPUs it was meant to get ({@code nvidia-smi} on PATH
 * and the NVIDIA device nodes), or none on purpose.
 */
final class GpuCheck {

  static final String ID = "gpu";

  /**
   * What the run goals requested: {@value #NO_GPU_REQUESTED} when they passed no GPU flag on
   * purpose ({@code -Dnss.gpuFlag=}), so that no GPU is not a problem to hint about.
   */
  static final String GPU_REQUEST = "NSS_GPU_REQUEST";

  static final String NO_GPU_REQUESTED = "none";

  private static final String CDI_GENERATE =
      "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml";

  private static final int MAX_GPU_NODE = 64;

  private GpuCheck() {}

  static Finding check(Map<String, String> env, Path devDir, Engine engine) {
    Path smi = TargetResolver.findOnPath("nvidia-smi", env.get("PATH"));
    if (smi == null && NO_GPU_REQUESTED.equals(env.get(GPU_REQUEST))) {
      return new Finding(
          ID, Level.OK, "no GPU requested (nss.gpuFlag is empty): the program runs without GPUs");
    }
    if (smi == null) {
      return new Finding(
          ID,
          Level.WARNING,
          "nvidia-smi is not on PATH: the container was started"
              + " without GPUs"
              + (engine == Engine.PODMAN ? " (podman before 5 ignores --gpus)" : "")
              + ". Fix: "
              + engine.run()
              + " "
              + engine.gpuFlag
              + " ..."
              + (engine == Engine.UNKNOWN ? " (podman: " + Engine.PODMAN.gpuFlag + ")" : "")
              + (engine == Engine.PODMAN
                  ? " with a CDI spec on the host (" + CDI_GENERATE + ")"
                  : "")
              + " (mvn nss:run-gpu: -Dnss.gpuFlag=\""
              + engine.gpuFlag
              + "\")");
    }
    if (!Files.exists(devDir.resolve("nvidiactl")) || !hasGpuNode(devDir)) {
      // nvidia-smi is not in the image: the engine's NVIDIA hook or CDI spec mounted it, so a GPU
      // flag was passed. Repeating it would not help; the host's set-up is what fails.
      return new Finding(
          ID,
          Level.WARNING,
          "nvidia-smi is present but the NVIDIA device nodes ("
              + devDir.resolve("nvidiactl")
              + ", "
              + devDir.resolve("nvidia0")
              + "...) are missing: a GPU flag was passed, but no GPU was injected. Fix: on the host, "
              + (engine == Engine.PODMAN
                  ? "regenerate the CDI spec ("
                      + CDI_GENERATE
                      + "; nvidia-ctk cdi list names the devices)"
                  : "check that nvidia-smi lists the GPUs and that the NVIDIA Container Toolkit is the "
                      + "engine's runtime (sudo nvidia-ctk runtime configure --runtime=docker, then restart dockerd)"));
    }
    return new Finding(ID, Level.OK, "nvidia-smi and the NVIDIA device nodes are present");
  }

  private static boolean hasGpuNode(Path devDir) {
    for (int i = 0; i < MAX_GPU_NODE; i++) {
      if (Files.exists(devDir.resolve("nvidia" + i))) {
        return true;
      }
    }
    return false;
  }
}
