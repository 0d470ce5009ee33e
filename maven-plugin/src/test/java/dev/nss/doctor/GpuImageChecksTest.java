package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cuda-driver, gpu-arch, gpu-memory, nvml and cdi-gpus: the host's GPUs (nvidia-smi's output as
 * real hosts print it) against the image the build goals would make.
 */
class GpuImageChecksTest {

  static final String QUERY =
      "nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv,noheader";

  /** The borrowed H200 host (FACTS.md, bench/gpu/host-check.sh). */
  static final String H200 = "NVIDIA H200, 580.159.04, 9.0, 143771 MiB\n";

  /** {@code nvidia-smi} on the H200 host, 2026-12-05 (its first lines). */
  static final String H200_BANNER =
      "Sat Dec  5 05:34:31 2026       \n"
          + "+-----------------------------------------------------------------------------------------+\n"
          + "| NVIDIA-SMI 580.159.04             Driver Version: 580.159.04     CUDA Version: 13.0"
          + "     |\n"
          + "+-----------------------------------------+------------------------+----------------------+\n"
          + "| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |\n"
          + "|   0  NVIDIA H200                    On  |   00000000:00:06.0 Off |                    0 |\n"
          + "| N/A   38C    P0             80W /  700W |       0MiB / 143771MiB |      0%      Default |\n";

  /**
   * A 550 driver as reported with "unsatisfied condition: cuda>=12.8" (theroyallab/tabbyAPI#324).
   */
  static final String DRIVER_550_BANNER =
      "| NVIDIA-SMI 550.144.03             Driver Version: 550.144.03     CUDA Version: 12.4"
          + "     |\n";

  static final String RTX_4090 = "NVIDIA GeForce RTX 4090, 550.144.03, 8.9, 24564 MiB\n";
  static final String RTX_5090 = "NVIDIA GeForce RTX 5090, 570.133.07, 12.0, 32607 MiB\n";
  static final String DRIVER_570_BANNER =
      "| NVIDIA-SMI 570.133.07             Driver Version: 570.133.07     CUDA Version: 12.8"
          + "     |\n";

  /** {@code ldconfig -p} on the H200 host, its NVML lines (2026-12-05). */
  static final String LDCONFIG =
      "1234 libs found in cache `/etc/ld.so.cache'\n"
          + "\tlibnvidia-ml.so.1 (libc6,x86-64) => /usr/local/nvidia/lib64/libnvidia-ml.so.1\n"
          + "\tlibnvidia-ml.so.1 (libc6,x86-64) => /lib/libnvidia-ml.so.1\n"
          + "\tlibnvidia-ml.so (libc6,x86-64) => /usr/local/nvidia/lib64/libnvidia-ml.so\n";

  @TempDir Path dir;
  TestHost host;

  @BeforeEach
  void setUp() {
    host = new TestHost(dir);
    host.program("nvidia-smi");
  }

  private CheckContext gpus(String query, String banner) {
    host.runner.answer(QUERY, 0, query, "");
    host.runner.answer("nvidia-smi", 0, banner, "");
    return host.context();
  }

  private CheckContext gpus(String query, String banner, DoctorSettings.Builder settings)
      throws Exception {
    host.runner.answer(QUERY, 0, query, "");
    host.runner.answer("nvidia-smi", 0, banner, "");
    return host.context(settings.build());
  }

  @Test
  void theH200RunsTheBundledDefaults() throws Exception {
    CheckContext context = gpus(H200, H200_BANNER);
    assertEquals(
        Finding.ok(
            "driver 580.159.04 supports CUDA 13.0; the image's CUDA 12.8.1 (bundled"
                + " Dockerfile.cuda: ARG CUDA_VERSION)"),
        new CudaDriverCheck().run(context));
    assertEquals(
        Finding.ok(
            "GPU 0 NVIDIA H200: compute capability 9.0 (sm_90) is in CUDA_ARCH_FLAGS 80;86;90;90a"
                + " (bundled Dockerfile.cuda: ARG CUDA_ARCH_FLAGS)"),
        new GpuArchCheck().run(context));
    assertEquals(Finding.ok("GPU 0 NVIDIA H200 140 GiB"), new GpuMemoryCheck().run(context));
  }

  @Test
  void aDriverOlderThanTheImagesCudaFailsWithTheDriverAndTheOlderCuda() throws Exception {
    CheckContext context = gpus(RTX_4090, DRIVER_550_BANNER);
    assertEquals(
        Finding.error(
            "driver 550.144.03 supports CUDA 12.4, older than the image's CUDA 12.8.1 (bundled"
                + " Dockerfile.cuda: ARG CUDA_VERSION): the container would not start"
                + " (unsatisfied condition: cuda>=12.8)",
            "upgrade the host's NVIDIA driver to branch 570 or newer (CUDA 12.8 needs it;"
                + " nvidia-smi then shows CUDA Version: 12.8 or higher), or build the image for the"
                + " driver's CUDA: -Dnss.cudaVersion=12.4.1 (build argument CUDA_VERSION)"),
        new CudaDriverCheck().run(context));
  }

  @Test
  void cudaVersionAboveTheDriversFromTheSettingIsNamed() throws Exception {
    CheckContext context = gpus(H200, H200_BANNER, host.settings().cudaVersion("13.1.0"));
    assertEquals(
        Finding.error(
            "driver 580.159.04 supports CUDA 13.0, older than the image's CUDA 13.1.0"
                + " (nss.cudaVersion): the container would not start (unsatisfied condition:"
                + " cuda>=13.1)",
            "upgrade the host's NVIDIA driver to branch 590 or newer (CUDA 13.1 needs it;"
                + " nvidia-smi then shows CUDA Version: 13.1 or higher), or build the image for the"
                + " driver's CUDA: -Dnss.cudaVersion=13.0.2 (build argument CUDA_VERSION)"),
        new CudaDriverCheck().run(context));
  }

  @Test
  void withoutAGpuFlagTheDisagreementIsAWarning() throws Exception {
    CheckContext context = gpus(RTX_4090, DRIVER_550_BANNER, host.settings().gpuFlag(""));
    assertEquals(Status.WARNING, new CudaDriverCheck().run(context).status());
  }

  @Test
  void aGpuWhoseArchitectureIsNotBuiltNamesTheBuildArgument() throws Exception {
    CheckContext context = gpus(RTX_5090, DRIVER_570_BANNER);
    assertEquals(
        Finding.error(
            "GPU 0 NVIDIA GeForce RTX 5090: compute capability 12.0 (sm_120) is not in"
                + " CUDA_ARCH_FLAGS 80;86;90;90a (bundled Dockerfile.cuda: ARG CUDA_ARCH_FLAGS)",
            "add it to the build argument: -Dnss.cudaArchFlags=\"80;86;90;90a;120\" and rebuild"
                + " (mvn nss:build-gpu)"),
        new GpuArchCheck().run(context));
  }

  @Test
  void flagsWithoutTheH200sArchitectureFromTheSetting() throws Exception {
    CheckContext context = gpus(H200, H200_BANNER, host.settings().cudaArchFlags("80;86"));
    assertEquals(
        Finding.error(
            "GPU 0 NVIDIA H200: compute capability 9.0 (sm_90) is not in CUDA_ARCH_FLAGS 80;86"
                + " (nss.cudaArchFlags)",
            "add it to the build argument: -Dnss.cudaArchFlags=\"80;86;90\" and rebuild (mvn"
                + " nss:build-gpu)"),
        new GpuArchCheck().run(context));
    CheckContext ptx = gpus(H200, H200_BANNER, host.settings().cudaArchFlags("8.0;8.6+PTX"));
    assertEquals(Status.WARNING, new GpuArchCheck().run(ptx).status());
  }

  @Test
  void aGpuBelowTheMinimumMemoryFails() throws Exception {
    CheckContext context = gpus(RTX_4090, DRIVER_550_BANNER, host.settings().minGpuMemory("40G"));
    assertEquals(
        Finding.error(
            "GPU 0 NVIDIA GeForce RTX 4090 24.0 GiB, below nss.doctor.minGpuMemory=40 GiB",
            "run on a GPU with at least 40 GiB, or use a smaller model"),
        new GpuMemoryCheck().run(context));
    CheckContext enough = gpus(H200, H200_BANNER, host.settings().minGpuMemory("40G"));
    assertEquals(
        Finding.ok("GPU 0 NVIDIA H200 140 GiB (need 40 GiB)"), new GpuMemoryCheck().run(enough));
  }

  @Test
  void withoutNvidiaSmiTheComparisonsAreNotChecked() throws Exception {
    TestHost bare = new TestHost(dir.resolve("bare"));
    assertEquals(
        Finding.warning(
            "not checked: nvidia-smi not found",
            "see the gpu check; run on a host with an NVIDIA GPU and driver"),
        new CudaDriverCheck().run(bare.context()));
    assertEquals(
        Finding.ok("not checked: nvidia-smi not found; nss.gpuFlag is empty"),
        new GpuArchCheck().run(bare.context(bare.settings().gpuFlag("").build())));
  }

  @Test
  void nvmlIsFoundInTheLinkerCache() throws Exception {
    host.program("ldconfig");
    host.runner.answer("ldconfig -p", 0, LDCONFIG, "");
    assertEquals(
        Finding.ok(
            "libnvidia-ml.so.1 (libc6,x86-64) => /usr/local/nvidia/lib64/libnvidia-ml.so.1"
                + " (ldconfig -p)"),
        new NvmlCheck().run(host.context()));
    host.runner.answer("ldconfig -p", 0, "12 libs found in cache `/etc/ld.so.cache'\n", "");
    assertEquals(
        Finding.error(
            "libnvidia-ml.so.1 not in the linker cache (ldconfig -p): the NVIDIA Container Toolkit"
                + " cannot give a container the GPUs",
            "install the NVIDIA driver (nvidia-smi must work), then sudo ldconfig; or"
                + " -Dnss.gpuFlag= to run without a GPU"),
        new NvmlCheck().run(host.context()));
  }

  @Test
  void aCdiSpecMustListEveryGpu() throws Exception {
    host.hostFile(
        "/etc/cdi/nvidia.yaml",
        "cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices:\n- name: \"0\"\n  containerEdits:\n"
            + "    deviceNodes:\n    - path: /dev/nvidia0\n- name: all\n  containerEdits:\n"
            + "    deviceNodes:\n    - path: /dev/nvidia0\n");
    assertEquals(
        Finding.ok("/etc/cdi/nvidia.yaml lists nvidia.com/gpu=0,all; nvidia-smi sees 1 GPU"),
        new CdiGpusCheck().run(gpus(H200, H200_BANNER)));
    CheckContext two =
        gpus(H200 + H200, H200_BANNER, host.settings().gpuFlag("--device nvidia.com/gpu=all"));
    assertEquals(
        Finding.error(
            "/etc/cdi/nvidia.yaml lists nvidia.com/gpu=0,all; nvidia-smi sees 2 GPUs (GPU 1 not"
                + " in it)",
            "regenerate the spec after a driver or GPU change: sudo nvidia-ctk cdi generate"
                + " --output=/etc/cdi/nvidia.yaml"),
        new CdiGpusCheck().run(two));
  }

  @Test
  void theDockerfilesArgDefaultIsRead() {
    assertEquals(
        java.util.Optional.of("80;86;90;90a"),
        ImageCuda.argDefault(
            "ARG CUDA_VERSION=12.8.1\nARG CUDA_ARCH_FLAGS=\"80;86;90;90a\"\n", "CUDA_ARCH_FLAGS"));
    assertEquals(
        java.util.Optional.of("12.8.1"),
        ImageCuda.argDefault("  ARG CUDA_VERSION=12.8.1\n", "CUDA_VERSION"));
  }

  @Test
  void aMinimumThatIsNoSizeIsRefusedNamingTheSetting() {
    dev.nss.core.InvalidSettingException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.nss.core.InvalidSettingException.class,
            () -> host.settings().minGpuMemory("lots").build());
    assertEquals(
        "nss.doctor.minGpuMemory: 'lots' is not a size. Use a number with an optional unit K, M,"
            + " G or T (binary: 40G = 40GiB), e.g. -Dnss.doctor.minGpuMemory=40G.",
        e.getMessage());
  }
}
