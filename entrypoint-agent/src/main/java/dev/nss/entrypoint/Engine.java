package dev.nss.entrypoint;

/**
 * The container engine the agent runs under, as far as the container can tell: docker writes {@code
 * /.dockerenv}; podman writes {@code /run/.containerenv} (with {@code rootless=1} when rootless)
 * and sets {@code container=podman}. The hints name this engine's command and flags.
 */
enum Engine {
  DOCKER("docker", "--gpus all"),
  PODMAN("podman", "--device nvidia.com/gpu=all"),
  /** Neither marker: the hints name docker, the common case, and podman's GPU flag beside it. */
  UNKNOWN("docker", "--gpus all");

  /** The command in a fix: {@code docker run ...} or {@code podman run ...}. */
  final String cli;

  /** The flag that gives the container every GPU on this engine (podman 4 ignores --gpus). */
  final String gpuFlag;

  Engine(String cli, String gpuFlag) {
    this.cli = cli;
    this.gpuFlag = gpuFlag;
  }

  static Engine of(boolean dockerenv, boolean containerenv, String containerVariable) {
    if (containerenv || "podman".equals(containerVariable)) {
      return PODMAN;
    }
    return dockerenv ? DOCKER : UNKNOWN;
  }

  /** {@code docker run} / {@code podman run}, as a fix starts. */
  String run() {
    return cli + " run";
  }
}
