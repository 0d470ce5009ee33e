package dev.nss.container;

import dev.nss.container.FailureDiagnosis.Failure;
import dev.nss.container.FailureDiagnosis.Rule;
import dev.nss.core.PropertyNames;
import dev.nss.engine.CudaVersions;
import dev.nss.engine.Engine;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows of {@link KnownFailures} for GPU containers: the driver, the GPU's architecture, the
 * NVIDIA Container Toolkit, and the program's shared memory and memory. Each matches the error text
 * as the engine, the toolkit or the program prints it, wherever it stands in the output.
 */
final class GpuFailures {

  private static final Set<String> ANY_VERB = Set.of();
  private static final Set<Integer> ANY_EXIT = Set.of();
  private static final Set<String> RUNS = Set.of("run", "start");

  /** What the toolkit's {@code nvidia-container-cli} prints when the image wants a newer driver. */
  private static final Pattern REQUIREMENT =
      Pattern.compile("unsatisfied condition: cuda\\s*>=\\s*(\\d+\\.\\d+)");

  private static final String INSUFFICIENT =
      "CUDA driver version is insufficient for CUDA runtime version";
  private static final String TORCH_DRIVER_TOO_OLD = "The NVIDIA driver on your system is too old";

  private static final String NO_KERNEL_IMAGE =
      "no kernel image is available for execution on the device";

  /** PyTorch: "NVIDIA GeForce RTX 5090 with CUDA capability sm_120 is not compatible with ...". */
  private static final Pattern CAPABILITY =
      Pattern.compile("with CUDA capability sm_(\\d+a?) is not compatible");

  private static final String NVML_LOST = "Failed to initialize NVML: Unknown Error";
  private static final String NVML_NOT_LOADED = "libnvidia-ml.so.1: cannot open shared object file";

  /** {@code --runtime=nvidia} without that runtime: docker 23 and later, docker 20.10, podman. */
  private static final List<String> NO_RUNTIME =
      List.of(
          "unknown or invalid runtime name: nvidia",
          "Unknown runtime specified nvidia",
          "default OCI runtime \"nvidia\" not found");

  /** PyTorch's DataLoader, its worker's own message, and a shell's report of a child's SIGBUS. */
  private static final List<String> SHM =
      List.of(
          "is killed by signal: Bus error",
          "insufficient shared memory (shm)",
          "out of shared memory");

  private static final int SIGBUS = 128 + 7;
  private static final int SIGKILL = 128 + 9;

  private static final String DOCTOR = " `mvn nss:doctor` compares the host with the image.";

  static final List<Rule> RULES =
      List.of(
          new Rule(
              "cuda-driver-too-old",
              ANY_VERB,
              ANY_EXIT,
              f ->
                  REQUIREMENT.matcher(f.output()).find()
                      || f.output().contains(INSUFFICIENT)
                      || f.output().contains(TORCH_DRIVER_TOO_OLD),
              f ->
                  "The host's NVIDIA driver is older than the CUDA of the image ("
                      + driverEvidence(f)
                      + "; exit code "
                      + f.exitCode()
                      + ").",
              f -> {
                Matcher m = REQUIREMENT.matcher(f.output());
                int wanted = m.find() ? CudaVersions.parse(m.group(1)).orElse(0) : 0;
                return wanted > 0
                    ? capitalized(CudaVersions.driverFix(wanted, 0)) + "." + DOCTOR
                    : "Upgrade the host's NVIDIA driver until nvidia-smi's CUDA Version is at"
                        + " least the image's CUDA_VERSION, or build the image for an older CUDA"
                        + " (-Dnss.cudaVersion)."
                        + DOCTOR;
              }),
          new Rule(
              "gpu-arch-not-built",
              ANY_VERB,
              ANY_EXIT,
              f -> f.output().contains(NO_KERNEL_IMAGE) || CAPABILITY.matcher(f.output()).find(),
              f ->
                  "The image has no GPU code for this GPU's architecture"
                      + capability(f).map(sm -> " (sm_" + sm + ")").orElse("")
                      + ": "
                      + (f.output().contains(NO_KERNEL_IMAGE)
                          ? NO_KERNEL_IMAGE
                          : "the program's CUDA build does not support it")
                      + " (exit code "
                      + f.exitCode()
                      + ").",
              f ->
                  "Rebuild with the GPU's compute capability in the build argument CUDA_ARCH_FLAGS, e.g. "
                      + capability(f)
                          .map(sm -> "-Dnss.cudaArchFlags=\"80;86;90;90a;" + sm + "\"")
                          .orElse(
                              "-Dnss.cudaArchFlags=\"80;86;90;90a;120\" (nvidia-smi"
                                  + " --query-gpu=compute_cap --format=csv,noheader shows it: 12.0"
                                  + " is 120)")
                      + ", with a PyTorch built for it."
                      + DOCTOR),
          new Rule(
              "no-nvidia-runtime",
              ANY_VERB,
              ANY_EXIT,
              f -> NO_RUNTIME.stream().anyMatch(f.output()::contains),
              f ->
                  "The container engine has no runtime named nvidia ("
                      + f.call()
                      + " exit code "
                      + f.exitCode()
                      + ": "
                      + NO_RUNTIME.stream().filter(f.output()::contains).findFirst().orElse("")
                      + ").",
              f ->
                  Engine.isPodman(f.cli())
                      ? "Podman passes GPUs as CDI devices instead: -Dnss.gpuFlag=--device=nvidia.com/gpu=all"
                          + " after `sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`."
                      : "Install the NVIDIA Container Toolkit and register its runtime: `sudo"
                          + " nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart"
                          + " docker`; or pass the GPUs without it: -Dnss.gpuFlag=\"--gpus all\"."),
          new Rule(
              "nvml-not-loaded",
              ANY_VERB,
              ANY_EXIT,
              f -> f.output().contains(NVML_NOT_LOADED),
              f ->
                  "The NVIDIA Container Toolkit could not load the driver's library on the host ("
                      + NVML_NOT_LOADED
                      + "; exit code "
                      + f.exitCode()
                      + ").",
              f ->
                  "Install the NVIDIA driver on the host (nvidia-smi must work there), then `sudo"
                      + " ldconfig`; a Docker installed as a snap or running rootless does not see"
                      + " the host's driver libraries. `mvn nss:doctor` checks `ldconfig -p`."),
          new Rule(
              "gpu-lost",
              ANY_VERB,
              ANY_EXIT,
              f -> f.output().contains(NVML_LOST),
              f ->
                  "The container lost access to its GPUs ("
                      + NVML_LOST
                      + "; exit code "
                      + f.exitCode()
                      + ").",
              f ->
                  "Run the goal again: a new container gets the GPUs back. It happens when systemd"
                      + " reloads (`systemctl daemon-reload`, e.g. by a package update) while the"
                      + " engine uses systemd's cgroup driver; NVIDIA's workaround: `sudo nvidia-ctk"
                      + " system create-dev-char-symlinks --create-all`, or use CDI ("
                      + "-Dnss.gpuFlag=--device=nvidia.com/gpu=all"
                      + ")."),
          new Rule(
              "shm-exhausted",
              RUNS,
              ANY_EXIT,
              f -> f.exitCode() == SIGBUS || SHM.stream().anyMatch(f.output()::contains),
              f ->
                  "The program ran out of shared memory (/dev/shm) ("
                      + (f.exitCode() == SIGBUS
                          ? "exit code 135: ended by SIGBUS"
                          : "exit code "
                              + f.exitCode()
                              + ": "
                              + SHM.stream().filter(f.output()::contains).findFirst().orElse(""))
                      + ").",
              f ->
                  "Give the container more: -D"
                      + PropertyNames.SHM_SIZE
                      + "=16g (now "
                      + PropertyNames.SHM_SIZE_DEFAULT
                      + " unless set; `--shm-size`), or use fewer DataLoader workers."),
          new Rule(
              "oom-killed",
              RUNS,
              Set.of(SIGKILL),
              Failure::oomKilled,
              f ->
                  "The container ran out of memory: the kernel's out-of-memory killer ended it"
                      + " (exit code 137; the engine recorded an OOM kill of container "
                      + f.container()
                      + ").",
              f ->
                  "Free memory on the host or use one with more, or make the program use less (a"
                      + " smaller batch or model); /dev/shm (nss.shmSize) counts as memory too."));

  private GpuFailures() {}

  /** The driver error as printed: the toolkit's requirement, or the CUDA runtime's words. */
  private static String driverEvidence(Failure f) {
    Matcher m = REQUIREMENT.matcher(f.output());
    if (m.find()) {
      return "nvidia-container-cli: requirement error: unsatisfied condition: cuda>=" + m.group(1);
    }
    if (f.output().contains(INSUFFICIENT)) {
      return INSUFFICIENT;
    }
    return TORCH_DRIVER_TOO_OLD;
  }

  private static java.util.Optional<String> capability(Failure f) {
    Matcher m = CAPABILITY.matcher(f.output());
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
