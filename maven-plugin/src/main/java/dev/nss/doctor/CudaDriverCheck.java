package dev.nss.doctor;

import dev.nss.engine.CudaVersions;
import java.util.Optional;

/**
 * {@code cuda-driver}: the highest CUDA version the host's driver supports (nvidia-smi's {@code
 * CUDA Version}) against the image's CUDA: the environment of {@code nss.image} when the engine has
 * that image, else what the build goals would make. An older driver makes the NVIDIA Container
 * Toolkit refuse the container ({@code unsatisfied condition: cuda>=12.8}), or, where nothing
 * checks first (CDI, podman), CUDA fail in the program ({@code CUDA driver version is insufficient
 * for CUDA runtime version}).
 */
final class CudaDriverCheck implements Check {

  @Override
  public String id() {
    return "cuda-driver";
  }

  @Override
  public String description() {
    return "The driver's CUDA version (nvidia-smi) against the image's CUDA_VERSION";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    GpuProbe probe = context.gpus();
    if (probe.gpus().isEmpty()) {
      return probe.notChecked(context);
    }
    Optional<ImageCuda.Setting> build = ImageCuda.cudaVersion(context);
    Optional<ImageCuda.Setting> built =
        ImageCuda.fromImage(ImageEnvironment.read(context), context.settings().image());
    Optional<ImageCuda.Setting> image = built.or(() -> build);
    Optional<Integer> imageCuda = image.flatMap(s -> CudaVersions.parse(s.value()));
    String driver = "driver " + probe.gpus().get(0).driver();
    if (probe.driverCuda() == 0) {
      return Finding.warning(
          driver + ": nvidia-smi shows no CUDA Version", "run nvidia-smi and fix what it reports");
    }
    String supports = driver + " supports CUDA " + CudaVersions.format(probe.driverCuda());
    if (imageCuda.isEmpty()) {
      return Finding.warning(
          supports + "; the image's CUDA version is unknown (no CUDA_VERSION in Dockerfile.cuda)",
          "set it: -Dnss.cudaVersion=" + CudaVersions.format(probe.driverCuda()) + ".0");
    }
    String imageText = "the image's CUDA " + image.get().described();
    String note = nextBuild(built, build);
    if (imageCuda.get() <= probe.driverCuda()) {
      return Finding.ok(supports + "; " + imageText + note);
    }
    return Finding.problem(
        context.settings().needsGpu(),
        supports
            + ", older than "
            + imageText
            + ": the container would not start (unsatisfied condition: cuda>="
            + CudaVersions.format(imageCuda.get())
            + ")"
            + note,
        CudaVersions.driverFix(imageCuda.get(), probe.driverCuda()));
  }

  /** Where the build settings would make another CUDA than the image has: what a rebuild gives. */
  private static String nextBuild(
      Optional<ImageCuda.Setting> built, Optional<ImageCuda.Setting> build) {
    if (built.isEmpty() || build.isEmpty()) {
      return "";
    }
    Optional<Integer> next = CudaVersions.parse(build.get().value());
    return next.isEmpty() || next.equals(CudaVersions.parse(built.get().value()))
        ? ""
        : "; a new build would have CUDA " + build.get().described();
  }
}
