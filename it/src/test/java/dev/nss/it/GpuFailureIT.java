package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A failed run names its cause (the GPU and memory rows of KnownFailures). The sample program
 * stands in for what fails without a GPU here: it ends by SIGBUS as a program out of shared memory
 * does, or prints the error text of CUDA, PyTorch or the NVIDIA Container Toolkit's hook as users
 * report it (once, on docker: the text is the program's, not the engine's). What the engine itself
 * says runs on both engines: a runtime named nvidia that is not there, and a run killed for memory
 * ({@code --memory} through nss.gpuFlag, which passes any run flag).
 */
class GpuFailureIT {

  @Test
  void aProgramEndedBySigbusNamesSharedMemoryAndNssShmSize() {
    BuildLog log = run(Engine.DOCKER, "run-gpu-sigbus", "--signal=BUS", "");
    assertFalse(log.succeeded(), log::describe);
    assertTrue(
        log.all()
            .contains(
                "The program ran out of shared memory (/dev/shm) (exit code 135: ended by"
                    + " SIGBUS). Give the container more: -Dnss.shmSize=16g (now 1g unless set;"
                    + " `--shm-size`), or use fewer DataLoader workers."),
        log::describe);
  }

  @Test
  void cudasInsufficientDriverMessageNamesTheDriverAndTheDoctor() {
    BuildLog log =
        run(
            Engine.DOCKER,
            "run-gpu-cuda-insufficient",
            "'--print=RuntimeError: CUDA error: CUDA driver version is insufficient for CUDA"
                + " runtime version' --exit=1",
            "");
    assertFalse(log.succeeded(), log::describe);
    assertTrue(
        log.all()
            .contains(
                "The host's NVIDIA driver is older than the CUDA of the image (CUDA driver version"
                    + " is insufficient for CUDA runtime version; exit code 1). Upgrade the host's"
                    + " NVIDIA driver until nvidia-smi's CUDA Version is at least the image's"
                    + " CUDA_VERSION, or build the image for an older CUDA (-Dnss.cudaVersion)."
                    + " `mvn nss:doctor` compares the host with the image."),
        log::describe);
  }

  @Test
  void theToolkitsRequirementErrorNamesTheDriverBranch() {
    BuildLog log =
        run(
            Engine.DOCKER,
            "run-gpu-cuda-requirement",
            "'--print=nvidia-container-cli: requirement error: unsatisfied condition: cuda>=12.8,"
                + " please update your driver to a newer version, or use an earlier cuda container:"
                + " unknown.' --exit=1",
            "");
    assertFalse(log.succeeded(), log::describe);
    assertTrue(
        log.all()
            .contains(
                "The host's NVIDIA driver is older than the CUDA of the image (nvidia-container-cli:"
                    + " requirement error: unsatisfied condition: cuda>=12.8; exit code 1). Upgrade"
                    + " the host's NVIDIA driver to branch 570 or newer"),
        log::describe);
  }

  @Test
  void noKernelImageNamesTheArchitectureSetting() {
    BuildLog log =
        run(
            Engine.DOCKER,
            "run-gpu-no-kernel",
            "'--print=NVIDIA GeForce RTX 5090 with CUDA capability sm_120 is not compatible with the"
                + " current PyTorch installation.' '--print=RuntimeError: CUDA error: no kernel image"
                + " is available for execution on the device' --exit=1",
            "");
    assertFalse(log.succeeded(), log::describe);
    assertTrue(
        log.all()
            .contains(
                "The image has no GPU code for this GPU's architecture (sm_120): no kernel image is"
                    + " available for execution on the device (exit code 1). Rebuild with the GPU's"
                    + " compute capability in the build argument CUDA_ARCH_FLAGS, e.g."
                    + " -Dnss.cudaArchFlags=\"80;86;90;90a;120\""),
        log::describe);
  }

  @Test
  void theToolkitWithoutTheDriversLibraryNamesNvml() {
    BuildLog log =
        run(
            Engine.DOCKER,
            "run-gpu-nvml",
            "'--print=nvidia-container-cli: initialization error: load library failed:"
                + " libnvidia-ml.so.1: cannot open shared object file: no such file or directory:"
                + " unknown' --exit=1",
            "");
    assertFalse(log.succeeded(), log::describe);
    assertTrue(
        log.all()
            .contains(
                "The NVIDIA Container Toolkit could not load the driver's library on the host"
                    + " (libnvidia-ml.so.1: cannot open shared object file; exit code 1)."),
        log::describe);
  }

  @Test
  void aGpuLostMidRunSaysToRunAgain() {
    BuildLog log =
        run(
            Engine.DOCKER,
            "run-gpu-nvml-lost",
            "'--print=Failed to initialize NVML: Unknown Error' --exit=255",
            "");
    assertFalse(log.succeeded(), log::describe);
    assertTrue(
        log.all()
            .contains(
                "The container lost access to its GPUs (Failed to initialize NVML: Unknown Error;"
                    + " exit code 255). Run the goal again: a new container gets the GPUs back."),
        log::describe);
  }

  /** The engine's own refusal: docker 20.10 and podman 4.3 word it differently. */
  @EngineTest
  void aRuntimeNamedNvidiaThatIsNotThereIsNamed(Engine engine) {
    BuildLog log = run(engine, "run-gpu-no-runtime", "--exit=0", "--runtime=nvidia");
    assertFalse(log.succeeded(), log::describe);
    assertTrue(
        log.all().contains("The container engine has no runtime named nvidia (" + engine.cli()),
        log::describe);
    assertTrue(
        log.all()
            .contains(
                engine == Engine.DOCKER
                    ? "Unknown runtime specified nvidia). Install the NVIDIA Container Toolkit"
                    : "default OCI runtime \"nvidia\" not found). Podman passes GPUs as CDI"
                        + " devices instead"),
        log::describe);
  }

  /**
   * The program allocates 1 GiB under a 128 MiB limit and the kernel kills it. Docker records the
   * OOM kill (its {@code oom} event); podman 4.3 records none, so there exit 137 stays a SIGKILL
   * whose message names the out-of-memory killer as a likely cause.
   */
  @EngineTest
  void aRunKilledForMemory(Engine engine) {
    BuildLog log = run(engine, "run-gpu-oom", "--allocate=1024", "--memory=128m");
    assertFalse(log.succeeded(), log::describe);
    if (engine == Engine.DOCKER) {
      assertTrue(
          log.all()
              .contains(
                  "The container ran out of memory: the kernel's out-of-memory killer ended it"
                      + " (exit code 137; the engine recorded an OOM kill of container"),
          log::describe);
    } else {
      assertTrue(
          log.all()
              .contains(
                  "The container exited with code 137 (`"
                      + engine.cli()
                      + " start`): the program was ended by signal 9 (SIGKILL; often the"
                      + " out-of-memory killer"),
          log::describe);
      assertFalse(log.all().contains("recorded an OOM kill"), log::describe);
    }
  }

  @Test
  void anUnknownFailureKeepsItsExitCodeAndMessage() {
    BuildLog log =
        run(
            Engine.DOCKER,
            "run-gpu-other-failure",
            "'--print=Traceback (most recent call last):' --exit=4",
            "");
    assertFalse(log.succeeded(), log::describe);
    assertTrue(log.all().contains("The container exited with code 4 (`"), log::describe);
    assertFalse(log.all().contains("shared memory"), log::describe);
  }

  /**
   * @param runFlags nss.gpuFlag: empty for no GPU, or other run flags
   */
  private static BuildLog run(Engine engine, String caseName, String cmd, String runFlags) {
    Fixtures fixtures = Fixtures.on(engine);
    assertTrue(fixtures.runtimeBuild().succeeded(), fixtures.runtimeBuild()::describe);
    SampleProject project = fixtures.withContainers(caseName);
    project.property("nss.cmd", cmd);
    return project
        .maven("nss:run-gpu")
        .property("nss.image", Fixtures.RUNTIME_IMAGE)
        .property("nss.skipBuild", "true")
        .property("nss.gpuFlag", runFlags)
        .run();
  }
}
