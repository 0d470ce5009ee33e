package dev.nss.doctor;

import dev.nss.engine.PodmanGpus;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cdi-gpus}: an NVIDIA CDI spec names a device for each GPU nvidia-smi sees (by index, or by
 * UUID when the spec uses only those). A spec written before a GPU or driver change lists the old
 * ones: podman then fails with {@code unresolvable CDI devices} or a missing device node.
 */
final class CdiGpusCheck implements Check {

  private static final Pattern DEVICE_NAME =
      Pattern.compile("(?m)^\\s*-\\s*name:\\s*\"?([^\"\\s]+)\"?\\s*$");

  @Override
  public String id() {
    return "cdi-gpus";
  }

  @Override
  public String description() {
    return "The NVIDIA CDI spec, where there is one, lists a device for each GPU nvidia-smi sees";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    List<String> specs =
        PodmanGpus.nvidiaCdiSpecs(PodmanGpus.CDI_DIRS, context.environment()::hostPath);
    if (specs.isEmpty()) {
      return Finding.ok("no NVIDIA CDI spec (the nvidia-runtime check says whether one is needed)");
    }
    GpuProbe probe = context.gpus();
    if (probe.gpus().isEmpty()) {
      return probe.notChecked(context);
    }
    Set<String> names = new LinkedHashSet<>();
    for (String spec : specs) {
      try {
        Matcher m = DEVICE_NAME.matcher(Files.readString(context.environment().hostPath(spec)));
        while (m.find()) {
          names.add(m.group(1));
        }
      } catch (IOException e) {
        // An unreadable spec names nothing.
      }
    }
    int gpus = probe.gpus().size();
    long indexed = names.stream().filter(n -> n.matches("\\d+")).count();
    long byUuid = names.stream().filter(n -> n.startsWith("GPU-")).count();
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      if (indexed > 0 ? !names.contains(Integer.toString(i)) : i >= byUuid) {
        missing.add(Integer.toString(i));
      }
    }
    long listed = indexed > 0 ? indexed : byUuid;
    String value =
        String.join(", ", specs)
            + " lists "
            + PodmanGpus.CDI_KIND
            + "="
            + String.join(",", names)
            + "; nvidia-smi sees "
            + gpus
            + (gpus == 1 ? " GPU" : " GPUs");
    if (missing.isEmpty() && listed == gpus) {
      return Finding.ok(value);
    }
    boolean usesCdi =
        context.isPodman() || context.settings().gpuFlag().contains(PodmanGpus.CDI_KIND);
    return Finding.problem(
        usesCdi,
        value
            + (missing.isEmpty()
                ? " (the spec lists more)"
                : " (GPU " + String.join(", ", missing) + " not in it)"),
        "regenerate the spec after a driver or GPU change: " + PodmanGpus.GENERATE_SPEC);
  }
}
