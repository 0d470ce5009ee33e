package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GPU and memory rows of {@link KnownFailures}, each with the error text as users report it
 * (engine, NVIDIA Container Toolkit, CUDA, PyTorch) and its whole message.
 */
class GpuFailuresTest {

  record GpuCase(
      String rule,
      String command,
      String container,
      int exitCode,
      String output,
      boolean oomKilled,
      String message) {

    List<String> argv() {
      return List.of(command.split(" "));
    }

    String ruleId() {
      return FailureDiagnosis.rule(
              FailureDiagnosis.failure(argv(), container, exitCode, output, null, oomKilled))
          .id();
    }

    String explained() {
      return FailureDiagnosis.explain(argv(), container, exitCode, output, null, oomKilled);
    }

    @Override
    public String toString() {
      return rule + ": " + command + " exit " + exitCode;
    }
  }

  /** docker 20.10+ with the toolkit's hook (moby/moby, NVIDIA/nvidia-container-toolkit issues). */
  static final String REQUIREMENT =
      "docker: Error response from daemon: failed to create task for container: failed to create"
          + " shim task: OCI runtime create failed: runc create failed: unable to start container"
          + " process: error during container init: error running prestart hook #0: exit status 1,"
          + " stdout: , stderr: Auto-detected mode as 'legacy'\n"
          + "nvidia-container-cli: requirement error: unsatisfied condition: cuda>=12.8, please"
          + " update your driver to a newer version, or use an earlier cuda container: unknown.\n";

  /** PyTorch under a CUDA runtime newer than the driver (CDI and podman do not check first). */
  static final String INSUFFICIENT =
      "Traceback (most recent call last):\n"
          + "  File \"/opt/venv/lib/python3.11/site-packages/torch/cuda/__init__.py\", line 372, in"
          + " _lazy_init\n"
          + "    torch._C._cuda_init()\n"
          + "RuntimeError: CUDA error: CUDA driver version is insufficient for CUDA runtime"
          + " version\n";

  static final String TORCH_TOO_OLD =
      "RuntimeError: The NVIDIA driver on your system is too old (found version 12020). Please"
          + " update your GPU driver by downloading and installing a new version from the URL:"
          + " http://www.nvidia.com/Download/index.aspx Alternatively, go to: https://pytorch.org to"
          + " install a PyTorch version that has been compiled with your version of the CUDA"
          + " driver.\n";

  static final String NO_KERNEL =
      "/opt/venv/lib/python3.11/site-packages/torch/cuda/__init__.py:235: UserWarning: \n"
          + "NVIDIA GeForce RTX 5090 with CUDA capability sm_120 is not compatible with the current"
          + " PyTorch installation.\n"
          + "The current PyTorch install supports CUDA capabilities sm_50 sm_60 sm_70 sm_75 sm_80"
          + " sm_86 sm_90.\n"
          + "RuntimeError: CUDA error: no kernel image is available for execution on the device\n"
          + "CUDA kernel errors might be asynchronously reported at some other API call, so the"
          + " stacktrace below might be incorrect.\n";

  static final String NO_KERNEL_ONLY =
      "RuntimeError: CUDA error: no kernel image is available for execution on the device\n"
          + "Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.\n";

  static final String NO_RUNTIME =
      "docker: Error response from daemon: unknown or invalid runtime name: nvidia.\n"
          + "See 'docker run --help'.\n";

  /** docker 20.10.24 (this project's CI engine), {@code docker create --runtime=nvidia}. */
  static final String NO_RUNTIME_DOCKER_20 =
      "Error response from daemon: Unknown runtime specified nvidia\n";

  /** podman 4.3.1, {@code podman create --runtime=nvidia}. */
  static final String NO_RUNTIME_PODMAN =
      "Error: default OCI runtime \"nvidia\" not found: invalid argument\n";

  static final String NVML_NOT_LOADED =
      "Error response from daemon: failed to create task for container: failed to create shim"
          + " task: OCI runtime create failed: runc create failed: unable to start container"
          + " process: error during container init: error running hook #0: error running hook: exit"
          + " status 1, stdout: , stderr: Auto-detected mode as 'legacy'\n"
          + "nvidia-container-cli: initialization error: load library failed: libnvidia-ml.so.1:"
          + " cannot open shared object file: no such file or directory: unknown\n";

  static final String NVML_LOST = "Failed to initialize NVML: Unknown Error\n";

  static final String DATALOADER =
      "ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient"
          + " shared memory (shm).\n"
          + "RuntimeError: DataLoader worker (pid 46794) is killed by signal: Bus error. It is"
          + " possible that dataloader's workers are out of shared memory. Please try to raise your"
          + " shared memory limit.\n";

  static final String DOCTOR = " `mvn nss:doctor` compares the host with the image.";

  static Stream<GpuCase> cases() {
    return Stream.of(
        new GpuCase(
            "cuda-driver-too-old",
            "docker start --attach c1",
            "nss-run-1",
            1,
            REQUIREMENT,
            false,
            "The host's NVIDIA driver is older than the CUDA of the image (nvidia-container-cli:"
                + " requirement error: unsatisfied condition: cuda>=12.8; exit code 1). Upgrade the"
                + " host's NVIDIA driver to branch 570 or newer (CUDA 12.8 needs it; nvidia-smi"
                + " then shows CUDA Version: 12.8 or higher), or build the image for the driver's"
                + " CUDA: -Dnss.cudaVersion=X.Y.Z not above the CUDA Version nvidia-smi shows"
                + " (build argument CUDA_VERSION)."
                + DOCTOR),
        new GpuCase(
            "cuda-driver-too-old",
            "podman start --attach c1",
            "nss-run-1",
            1,
            INSUFFICIENT,
            false,
            "The host's NVIDIA driver is older than the CUDA of the image (CUDA driver version is"
                + " insufficient for CUDA runtime version; exit code 1). Upgrade the host's NVIDIA"
                + " driver until nvidia-smi's CUDA Version is at least the image's CUDA_VERSION, or"
                + " build the image for an older CUDA (-Dnss.cudaVersion)."
                + DOCTOR),
        new GpuCase("cuda-driver-too-old", "docker run img", null, 1, TORCH_TOO_OLD, false, null),
        new GpuCase(
            "gpu-arch-not-built",
            "docker start --attach c1",
            "nss-run-1",
            1,
            NO_KERNEL,
            false,
            "The image has no GPU code for this GPU's architecture (sm_120): no kernel image is"
                + " available for execution on the device (exit code 1). Rebuild with the GPU's"
                + " compute capability in the build argument CUDA_ARCH_FLAGS, e.g."
                + " -Dnss.cudaArchFlags=\"80;86;90;90a;120\", with a PyTorch built for it."
                + DOCTOR),
        new GpuCase(
            "gpu-arch-not-built",
            "docker start --attach c1",
            "nss-run-1",
            1,
            NO_KERNEL_ONLY,
            false,
            "The image has no GPU code for this GPU's architecture: no kernel image is available"
                + " for execution on the device (exit code 1). Rebuild with the GPU's compute"
                + " capability in the build argument CUDA_ARCH_FLAGS, e.g."
                + " -Dnss.cudaArchFlags=\"80;86;90;90a;120\" (nvidia-smi --query-gpu=compute_cap"
                + " --format=csv,noheader shows it: 12.0 is 120), with a PyTorch built for it."
                + DOCTOR),
        new GpuCase(
            "no-nvidia-runtime",
            "docker create --rm --name nss-run-1 --runtime=nvidia img",
            "nss-run-1",
            125,
            NO_RUNTIME,
            false,
            "The container engine has no runtime named nvidia (docker create exit code 125: unknown"
                + " or invalid runtime name: nvidia). Install the NVIDIA Container Toolkit and"
                + " register its runtime: `sudo nvidia-ctk runtime configure --runtime=docker &&"
                + " sudo systemctl restart docker`; or pass the GPUs without it:"
                + " -Dnss.gpuFlag=\"--gpus all\"."),
        new GpuCase(
            "no-nvidia-runtime",
            "docker create --rm --name nss-run-1 --runtime=nvidia img",
            "nss-run-1",
            1,
            NO_RUNTIME_DOCKER_20,
            false,
            "The container engine has no runtime named nvidia (docker create exit code 1: Unknown"
                + " runtime specified nvidia). Install the NVIDIA Container Toolkit and register its"
                + " runtime: `sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl"
                + " restart docker`; or pass the GPUs without it: -Dnss.gpuFlag=\"--gpus all\"."),
        new GpuCase(
            "no-nvidia-runtime",
            "/usr/bin/podman create --rm --name nss-run-1 --runtime=nvidia img",
            "nss-run-1",
            125,
            NO_RUNTIME_PODMAN,
            false,
            "The container engine has no runtime named nvidia (/usr/bin/podman create exit code 125:"
                + " default OCI runtime \"nvidia\" not found). Podman passes GPUs as CDI devices"
                + " instead: -Dnss.gpuFlag=--device=nvidia.com/gpu=all after `sudo nvidia-ctk cdi"
                + " generate --output=/etc/cdi/nvidia.yaml`."),
        new GpuCase(
            "nvml-not-loaded",
            "docker start --attach c1",
            "nss-run-1",
            1,
            NVML_NOT_LOADED,
            false,
            "The NVIDIA Container Toolkit could not load the driver's library on the host"
                + " (libnvidia-ml.so.1: cannot open shared object file; exit code 1). Install the"
                + " NVIDIA driver on the host (nvidia-smi must work there), then `sudo ldconfig`; a"
                + " Docker installed as a snap or running rootless does not see the host's driver"
                + " libraries. `mvn nss:doctor` checks `ldconfig -p`."),
        new GpuCase(
            "gpu-lost",
            "docker start --attach c1",
            "nss-run-1",
            255,
            NVML_LOST,
            false,
            "The container lost access to its GPUs (Failed to initialize NVML: Unknown Error; exit"
                + " code 255). Run the goal again: a new container gets the GPUs back. It happens"
                + " when systemd reloads (`systemctl daemon-reload`, e.g. by a package update)"
                + " while the engine uses systemd's cgroup driver; NVIDIA's workaround: `sudo"
                + " nvidia-ctk system create-dev-char-symlinks --create-all`, or use CDI"
                + " (-Dnss.gpuFlag=--device=nvidia.com/gpu=all)."),
        new GpuCase(
            "shm-exhausted",
            "docker start --attach c1",
            "nss-run-1",
            135,
            "",
            false,
            "The program ran out of shared memory (/dev/shm) (exit code 135: ended by SIGBUS)."
                + " Give the container more: -Dnss.shmSize=16g (now 1g unless set; `--shm-size`),"
                + " or use fewer DataLoader workers."),
        new GpuCase(
            "shm-exhausted",
            "podman start --attach c1",
            "nss-run-1",
            1,
            DATALOADER,
            false,
            "The program ran out of shared memory (/dev/shm) (exit code 1: is killed by signal: Bus"
                + " error). Give the container more: -Dnss.shmSize=16g (now 1g unless set;"
                + " `--shm-size`), or use fewer DataLoader workers."),
        new GpuCase(
            "oom-killed",
            "docker start --attach c1",
            "nss-run-1",
            137,
            "",
            true,
            "The container ran out of memory: the kernel's out-of-memory killer ended it (exit code"
                + " 137; the engine recorded an OOM kill of container nss-run-1). Free memory on the"
                + " host or use one with more, or make the program use less (a smaller batch or"
                + " model); /dev/shm (nss.shmSize) counts as memory too."));
  }

  /** Failures next to a row that are not its own. */
  static Stream<GpuCase> nearMisses() {
    return Stream.of(
        // 137 without the engine's OOM record: a SIGKILL, as before.
        new GpuCase(
            "program-failed", "docker start --attach c1", "nss-run-1", 137, "", false, null),
        // 135 of a build or push is not the program's SIGBUS.
        new GpuCase("other", "docker push img", null, 135, "", false, null),
        new GpuCase("other", "docker pull img", null, 1, DATALOADER, false, null),
        // OOM record but another exit code (the program handled it).
        new GpuCase("program-failed", "docker start --attach c1", "nss-run-1", 1, "", true, null),
        new GpuCase(
            "program-failed",
            "docker start --attach c1",
            "nss-run-1",
            1,
            "CUDA error: out of memory\nBus errors: 0\n",
            false,
            null),
        new GpuCase(
            "cuda-driver-too-old",
            "docker start --attach c1",
            "nss-run-1",
            1,
            "unsatisfied condition: cuda >= 9.0\n",
            false,
            null));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void eachRowExplainsTheErrorAsReported(GpuCase c) {
    assertEquals(c.rule(), c.ruleId());
    if (c.message() != null) {
      assertEquals(c.message(), c.explained());
    }
  }

  @ParameterizedTest
  @MethodSource("nearMisses")
  void aFailureNextToARowIsNotItsOwn(GpuCase c) {
    assertEquals(c.rule(), c.ruleId());
  }

  @Test
  void everyGpuRowHasAPinnedFailure() {
    assertEquals(
        GpuFailures.RULES.stream().map(FailureDiagnosis.Rule::id).collect(Collectors.toSet()),
        pinnedIds());
  }

  static Set<String> pinnedIds() {
    return cases()
        .filter(c -> c.message() != null)
        .map(GpuCase::rule)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void aSlurmJobsOutputNamesTheSameCause() {
    assertEquals(
        Optional.of(
            "The program ran out of shared memory (/dev/shm) (exit code 135: ended by SIGBUS)."
                + " Give the container more: -Dnss.shmSize=16g (now 1g unless set; `--shm-size`),"
                + " or use fewer DataLoader workers."),
        FailureDiagnosis.knownRunFailure("docker", 135, "epoch 1\n"));
    assertEquals(Optional.empty(), FailureDiagnosis.knownRunFailure("docker", 1, "Traceback\n"));
    assertTrue(
        FailureDiagnosis.knownRunFailure("podman", 1, INSUFFICIENT)
            .orElseThrow()
            .startsWith("The host's NVIDIA driver is older than the CUDA of the image"));
  }

  @Test
  void theOomQueryAsksTheEventLogOfThatContainer() {
    java.time.Instant since = java.time.Instant.ofEpochSecond(1_700_000_000L, 5);
    java.time.Instant until = java.time.Instant.ofEpochSecond(1_700_000_060L, 123_000_000);
    assertEquals(
        List.of(
            "docker",
            "events",
            "--since",
            "1699999999.000000005",
            "--until",
            "1700000060.123000000",
            "--filter",
            "container=abc",
            "--filter",
            "event=oom",
            "--format",
            "{{.Action}}"),
        OomKills.query("docker", "abc", since, until));
    assertEquals(
        List.of(
            "/usr/bin/podman",
            "events",
            "--since",
            "1699999999.000000005",
            "--stream=false",
            "--filter",
            "container=abc",
            "--filter",
            "event=oom",
            "--format",
            "{{.Status}}"),
        OomKills.query("/usr/bin/podman", "abc", since, until));
  }
}
