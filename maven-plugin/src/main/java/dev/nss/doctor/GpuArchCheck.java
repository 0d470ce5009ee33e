package dev.nss.doctor;

import dev.nss.engine.CudaVersions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code gpu-arch}: each GPU's compute capability against the architectures the image is built for
 * ({@code CUDA_ARCH_FLAGS}); code without the GPU's architecture fails with {@code no kernel image
 * is available for execution on the device}.
 */
final class GpuArchCheck implements Check {

  @Override
  public String id() {
    return "gpu-arch";
  }

  @Override
  public String description() {
    return "Each GPU's compute capability (nvidia-smi) against the image's CUDA_ARCH_FLAGS";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    GpuProbe probe = context.gpus();
    if (probe.gpus().isEmpty()) {
      return probe.notChecked(context);
    }
    Optional<ImageCuda.Setting> flags = ImageCuda.archFlags(context);
    if (flags.isEmpty()) {
      return Finding.ok("CUDA_ARCH_FLAGS not set: the image's defaults apply");
    }
    List<String> archs = CudaVersions.archs(flags.get().value());
    List<String> covered = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (GpuProbe.Gpu gpu : probe.gpus()) {
      if (gpu.computeCap().isEmpty()) {
        unknown.add(gpu.label());
      } else if (CudaVersions.runsOn(archs, gpu.computeCap())) {
        covered.add(gpu.label() + ": " + capability(gpu));
      } else {
        missing.add(gpu.label() + ": " + capability(gpu));
      }
    }
    String in = " CUDA_ARCH_FLAGS " + flags.get().described();
    if (!missing.isEmpty()) {
      boolean ptx = flags.get().value().toLowerCase(Locale.ROOT).contains("ptx");
      String value =
          String.join("; ", missing)
              + (missing.size() == 1 ? " is" : " are")
              + " not in"
              + in
              + (ptx ? " (PTX is compiled at start-up)" : "");
      String fix =
          "add it to the build argument: -Dnss.cudaArchFlags=\""
              + String.join(";", withMissing(flags.get().value(), probe.gpus(), archs))
              + "\" and rebuild (mvn nss:build-gpu)";
      return ptx
          ? Finding.warning(value, fix)
          : Finding.problem(context.settings().needsGpu(), value, fix);
    }
    if (!unknown.isEmpty()) {
      return Finding.warning(
          String.join("; ", unknown) + ": nvidia-smi does not report compute_cap",
          "upgrade the NVIDIA driver (its nvidia-smi then reports compute_cap)");
    }
    return Finding.ok(
        String.join("; ", covered) + (covered.size() == 1 ? " is" : " are") + " in" + in);
  }

  private static String capability(GpuProbe.Gpu gpu) {
    return "compute capability "
        + gpu.computeCap()
        + " (sm_"
        + gpu.computeCap().replace(".", "")
        + ")";
  }

  /** The flags with each GPU's missing architecture added, separated as the value was. */
  private static List<String> withMissing(
      String flags, List<GpuProbe.Gpu> gpus, List<String> archs) {
    List<String> all = new ArrayList<>(List.of(flags.strip().split("[;,\\s]+")));
    for (GpuProbe.Gpu gpu : gpus) {
      String arch = gpu.computeCap().replace(".", "");
      if (!gpu.computeCap().isEmpty()
          && !CudaVersions.runsOn(archs, gpu.computeCap())
          && !all.contains(arch)) {
        all.add(arch);
      }
    }
    return all;
  }
}
