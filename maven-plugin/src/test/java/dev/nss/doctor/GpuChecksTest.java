package dev.nss.doctor;

import static dev.nss.doctor.FakeCommandRunner.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nvidia-runtime and gpu against captured engine output, fake nvidia-smi output, fake /proc and
 * fake OSHI.
 */
class GpuChecksTest {

  private static final String SMI_QUERY =
      "nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader";

  /** What nvidia-smi printed on the borrowed H100 host (FACTS.md). */
  private static final String H100_SMI = "NVIDIA H100 80GB HBM3, 580.159.04, 81559 MiB\n";

  @TempDir Path tmp;
  private TestHost host;

  @BeforeEach
  void setUp() {
    host = new TestHost(tmp);
  }

  @Test
  void noNvidiaRuntimeOnThisEngineIsAnErrorWithTheToolkitFix() throws Exception {
    host.dockerWithCapturedInfo();
    Finding f = new NvidiaRuntimeCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertTrue(
        f.value()
            .startsWith("no nvidia runtime in Docker Engine (runtimes: io.containerd.runc.v2,"),
        f.value());
    assertTrue(f.value().endsWith("the run goals pass --gpus all"), f.value());
    assertTrue(f.fix().contains("nvidia-ctk runtime configure --runtime=docker"), f.fix());
  }

  @Test
  void withoutAGpuFlagTheMissingRuntimeIsAWarning() throws Exception {
    host.dockerWithCapturedInfo();
    Finding f = new NvidiaRuntimeCheck().run(host.context(host.settings().gpuFlag("").build()));
    assertEquals(Status.WARNING, f.status());
    assertTrue(f.value().endsWith("nss.gpuFlag is empty"), f.value());
  }

  @Test
  void nvidiaRuntimeInInfoIsFound() throws Exception {
    String info =
        resource("docker/info-client-20.10.json")
            .replace(
                "\"Runtimes\":{",
                "\"Runtimes\":{\"nvidia\":{\"path\":\"nvidia-container-runtime\"},");
    host.withInfo("docker", info);
    assertEquals(Finding.ok("runtime nvidia"), new NvidiaRuntimeCheck().run(host.context()));
  }

  @Test
  void theGpusHookOnPathIsFound() throws Exception {
    host.dockerWithCapturedInfo();
    Path hook = host.program("nvidia-container-runtime-hook");
    assertEquals(
        Finding.ok("nvidia-container-runtime-hook at " + hook),
        new NvidiaRuntimeCheck().run(host.context()));
  }

  @Test
  void anNvidiaCdiSpecInTheEnginesSpecDirsIsFound() throws Exception {
    String info =
        resource("docker/info-client-20.10.json")
            .replace(
                "\"Runtimes\":{", "\"CDISpecDirs\":[\"/etc/cdi\",\"/var/run/cdi\"],\"Runtimes\":{");
    host.withInfo("docker", info);
    host.hostFile("/etc/cdi/other.yaml", "kind: example.com/device\n");
    host.hostFile("/var/run/cdi/nvidia.yaml", "cdiVersion: 0.5.0\nkind: nvidia.com/gpu\n");
    assertEquals(
        Finding.ok("CDI spec /var/run/cdi/nvidia.yaml"),
        new NvidiaRuntimeCheck().run(host.context()));
  }

  @Test
  void podmanReadsTheDefaultCdiDirsAndGetsACdiFix() throws Exception {
    host.podmanWithInfo();
    Finding missing = new NvidiaRuntimeCheck().run(host.context());
    assertEquals(Status.ERROR, missing.status());
    assertTrue(missing.fix().contains("nvidia-ctk cdi generate"), missing.fix());
    host.hostFile("/etc/cdi/nvidia.json", "{\"kind\":\"nvidia.com/gpu\"}");
    DoctorSettings cdiFlag = host.settings().gpuFlag("--device=nvidia.com/gpu=all").build();
    assertEquals(
        Finding.ok("CDI spec /etc/cdi/nvidia.json; the run goals pass --device=nvidia.com/gpu=all"),
        new NvidiaRuntimeCheck().run(host.context(cdiFlag)));
  }

  /**
   * The doctor says what the run goals do on Podman 4 (one shared rule, PodmanGpus): --gpus becomes
   * CDI devices.
   */
  @Test
  void podman4GetsTheCdiFormOfTheGpusFlag() throws Exception {
    host.podmanWithInfo();
    Finding missing = new NvidiaRuntimeCheck().run(host.context());
    assertEquals(
        new Finding(
            Status.ERROR,
            "no NVIDIA CDI spec (nvidia.com/gpu) in /etc/cdi or /var/run/cdi; the run "
                + "goals pass --device nvidia.com/gpu=all (Podman 4.3.1 ignores --gpus)",
            "install the NVIDIA Container "
                + "Toolkit, then sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml (or -Dnss.gpuFlag= to run without "
                + "a GPU)"),
        missing);
    host.hostFile("/etc/cdi/nvidia.yaml", "kind: nvidia.com/gpu\n");
    assertEquals(
        Finding.ok(
            "CDI spec /etc/cdi/nvidia.yaml; the run goals pass --device nvidia.com/gpu=all (Podman "
                + "4.3.1 ignores --gpus)"),
        new NvidiaRuntimeCheck().run(host.context()));
  }

  @Test
  void nvidiaSmiOnPathGivesNameDriverAndMemory() throws Exception {
    Path smi = host.program("nvidia-smi");
    host.runner.answer(SMI_QUERY, 0, H100_SMI, "");
    Finding f = new GpuCheck().run(host.context());
    assertEquals(Finding.ok("1 GPU: NVIDIA H100 80GB HBM3 (driver 580.159.04, 81559 MiB)"), f);
    assertEquals(
        List.of(
            smi.toString(),
            "--query-gpu=name,driver_version,memory.total",
            "--format=csv,noheader"),
        host.runner.commands().get(0).argv());
  }

  @Test
  void nvidiaSmiIsAlsoFoundInUsrLocalNvidiaBin() throws Exception {
    Path smi = host.hostProgram("/usr/local/nvidia/bin/nvidia-smi");
    host.runner.answer(SMI_QUERY, 0, H100_SMI + "NVIDIA A10G, 550.54.15, 23028 MiB\n", "");
    Finding f = new GpuCheck().run(host.context());
    assertEquals(
        "2 GPUs: NVIDIA H100 80GB HBM3 (driver 580.159.04, 81559 MiB); NVIDIA A10G (driver 550.54.15, 23028 MiB)",
        f.value());
    assertEquals(smi.toString(), host.runner.commands().get(0).argv().get(0));
  }

  @Test
  void aNameWithACommaIsKeptWhole() {
    assertEquals(
        List.of("Odd, Name (driver 1.2, 10 MiB)"), GpuCheck.parseSmi("Odd, Name, 1.2, 10 MiB\n\n"));
    assertEquals(List.of(), GpuCheck.parseSmi(", 580.159.04, 81559 MiB\n"), "no name: no GPU");
  }

  @Test
  void procInformationIsTheFallbackWithoutNvidiaSmi() throws Exception {
    host.hostFile(
        "/proc/driver/nvidia/gpus/0000:00:05.0/information",
        resource("proc/information-h100-gpu-host.txt"));
    host.hostFile("/proc/driver/nvidia/version", resource("proc/version-gpu-host.txt"));
    Finding f = new GpuCheck().run(host.context());
    assertEquals(Status.OK, f.status());
    assertEquals(
        "1 GPU (from /proc/driver/nvidia): NVIDIA H100 80GB HBM3 (bus 0000:00:06.0, driver 580.159.04)",
        f.value());
  }

  @Test
  void driverVersionFromEitherKernelModuleLine() throws Exception {
    host.hostFile(
        "/proc/driver/nvidia/version",
        "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\n");
    assertEquals("535.104.05", GpuCheck.driverVersion(host.context()));
    host.hostFile("/proc/driver/nvidia/version", resource("proc/version-gpu-host.txt"));
    assertEquals("580.159.04", GpuCheck.driverVersion(host.context()));
  }

  @Test
  void failingNvidiaSmiWithProcGpusIsAWarning() throws Exception {
    host.program("nvidia-smi");
    host.runner.answer(
        SMI_QUERY,
        9,
        "",
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA" + " driver.\n");
    host.hostFile(
        "/proc/driver/nvidia/gpus/0000:00:05.0/information",
        resource("proc/information-h100-gpu-host.txt"));
    Finding f = new GpuCheck().run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertTrue(f.value().contains("NVIDIA-SMI has failed"), f.value());
  }

  @Test
  void oshiCardsWithoutADriverAreAWarning() throws Exception {
    host.hardware =
        new FakeHardware(
            List.of(
                new HostHardware.GraphicsCard(
                    "GH100 [H100 SXM5 80GB]", "NVIDIA Corporation [0x10de]", "0x2330", 0),
                new HostHardware.GraphicsCard("unknown", "unknown", "unknown", 0)),
            OptionalLong.empty());
    Finding f = new GpuCheck().run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertTrue(f.value().startsWith("1 GPU (from OSHI): GH100 [H100 SXM5 80GB]"), f.value());
  }

  @Test
  void noGpuIsAnErrorOnlyWhenTheRunGoalsAskForOne() throws Exception {
    host.hardware =
        new FakeHardware(
            List.of(new HostHardware.GraphicsCard("unknown", "unknown", "unknown", 0)),
            OptionalLong.empty());
    Finding f = new GpuCheck().run(host.context());
    assertEquals(Status.ERROR, f.status());
    assertEquals(
        "none (nvidia-smi not found, no /proc/driver/nvidia/gpus, OSHI lists no NVIDIA card)",
        f.value());
    assertTrue(f.fix().contains("-Dnss.gpuFlag="), f.fix());
    assertEquals(
        Status.WARNING,
        new GpuCheck().run(host.context(host.settings().gpuFlag("").build())).status());
  }

  @Test
  void anUnreachableEngineIsAnErrorOnlyWhenTheRunGoalsPassAGpuFlag() throws Exception {
    host.withInfo("docker", resource("docker/info-engine-down-client-20.10.json"));
    Finding severe = new NvidiaRuntimeCheck().run(host.context());
    assertEquals(Status.ERROR, severe.status());
    assertTrue(
        severe.value().startsWith("not checked: engine unreachable (Cannot connect"),
        severe.value());
    Finding mild = new NvidiaRuntimeCheck().run(host.context(host.settings().gpuFlag("").build()));
    assertEquals(Status.WARNING, mild.status());
  }

  @Test
  void aGpusValueThatPodman4CannotTranslateIsAnErrorWithTheCdiFlag() throws Exception {
    host.podmanWithInfo();
    Finding f =
        new NvidiaRuntimeCheck()
            .run(host.context(host.settings().gpuFlag("--gpus capabilities=compute").build()));
    assertEquals(Status.ERROR, f.status());
    assertTrue(f.value().contains("has no CDI form for podman"), f.value());
    assertEquals("-Dnss.gpuFlag=--device=nvidia.com/gpu=all", f.fix());
  }
}
