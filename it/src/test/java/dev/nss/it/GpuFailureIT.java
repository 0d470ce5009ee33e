package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A failed run names its cause (KnownFailures' GPU rows) on docker: the sample program ends by
 * SIGBUS as a program out of shared memory does, or prints CUDA's error for a driver older than the
 * image's CUDA, as PyTorch does.
 */
class GpuFailureIT {

  @Test
  void aProgramEndedBySigbusNamesSharedMemoryAndNssShmSize() {
    BuildLog log = run("run-gpu-sigbus", "--signal=BUS");
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
            "run-gpu-cuda-insufficient",
            "'--print=RuntimeError: CUDA error: CUDA driver version is insufficient for CUDA"
                + " runtime version' --exit=1");
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
  void anUnknownFailureKeepsItsExitCodeAndMessage() {
    BuildLog log =
        run("run-gpu-other-failure", "'--print=Traceback (most recent call last):' --exit=4");
    assertFalse(log.succeeded(), log::describe);
    assertTrue(log.all().contains("The container exited with code 4 (`"), log::describe);
    assertFalse(log.all().contains("shared memory"), log::describe);
  }

  private static BuildLog run(String caseName, String cmd) {
    Fixtures fixtures = Fixtures.on(Engine.DOCKER);
    assertTrue(fixtures.runtimeBuild().succeeded(), fixtures.runtimeBuild()::describe);
    SampleProject project = fixtures.withContainers(caseName);
    project.property("nss.cmd", cmd);
    return project
        .maven("nss:run-gpu")
        .property("nss.image", Fixtures.RUNTIME_IMAGE)
        .property("nss.skipBuild", "true")
        .property("nss.gpuFlag", "")
        .run();
  }
}
