package dev.nss.doctor;

import dev.nss.core.PropertyNames;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code gpu-memory}: each GPU's memory (nvidia-smi); below {@code nss.doctor.minGpuMemory}, when
 * set, an error.
 */
final class GpuMemoryCheck implements Check {

  private static final long MIB = 1024L * 1024;

  @Override
  public String id() {
    return "gpu-memory";
  }

  @Override
  public String description() {
    return "Each GPU's memory (nvidia-smi), at least nss.doctor.minGpuMemory when set";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    GpuProbe probe = context.gpus();
    if (probe.gpus().isEmpty()) {
      return probe.notChecked(context);
    }
    long min = context.settings().minGpuMemoryBytes();
    List<String> all = new ArrayList<>();
    List<String> small = new ArrayList<>();
    for (GpuProbe.Gpu gpu : probe.gpus()) {
      String text = gpu.label() + " " + ByteSize.format(gpu.memoryMib() * MIB);
      all.add(text);
      if (min > 0 && gpu.memoryMib() * MIB < min) {
        small.add(text);
      }
    }
    if (small.isEmpty()) {
      return Finding.ok(
          String.join("; ", all) + (min > 0 ? " (need " + ByteSize.format(min) + ")" : ""));
    }
    return Finding.error(
        String.join("; ", small)
            + ", below "
            + PropertyNames.DOCTOR_MIN_GPU_MEMORY
            + "="
            + ByteSize.format(min),
        "run on a GPU with at least " + ByteSize.format(min) + ", or use a smaller model");
  }
}
