package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Runs only where nvidia-smi exists (on PATH or in /usr/local/nvidia/bin): the doctor must find the
 * GPU.
 */
class GpuHostTest {

  @Test
  void findsTheGpuWhereNvidiaSmiExists() throws Exception {
    DoctorSettings settings = DoctorSettings.builder().checks("gpu").hfCache("/tmp").build();
    Optional<Path> smi =
        GpuCheck.findNvidiaSmi(new CheckContext(settings, DoctorEnvironment.system()));
    assumeTrue(smi.isPresent(), "no nvidia-smi on this host");
    DoctorReport report = new Doctor(settings, DoctorEnvironment.system()).run();
    Finding gpu = report.results().get(0).finding();
    assertEquals(Status.OK, gpu.status(), gpu.value());
    assertTrue(
        gpu.value().matches("\\d+ GPUs?: .*NVIDIA.*\\(driver [0-9.]+, \\d+ MiB\\).*"), gpu.value());
  }
}
