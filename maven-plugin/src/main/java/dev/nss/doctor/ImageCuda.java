package dev.nss.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CUDA settings the build goals would give the GPU image: {@code nss.cudaVersion} and {@code
 * nss.cudaArchFlags} when set, else the {@code ARG} defaults of the project's {@code
 * containers/Dockerfile.cuda}, else of the bundled one; and the CUDA version a built image declares
 * in its environment, as {@code nvidia/cuda} images do.
 */
final class ImageCuda {

  static final String GPU_DOCKERFILE = "Dockerfile.cuda";
  private static final String BUNDLED = "/dev/nss/containers/" + GPU_DOCKERFILE;

  /** {@code cuda>=12.8 brand=tesla,driver>=470,driver<471 ...}: the toolkit's requirement. */
  private static final Pattern REQUIRE_CUDA =
      Pattern.compile("(?:^|\\s)cuda>=(\\d{1,3}\\.\\d{1,3})(?:\\s|$)");

  /**
   * A version as nvidia/cuda images set it; anything else in the variable is not shown (it is the
   * image's, not ours).
   */
  private static final Pattern VERSION = Pattern.compile("\\d{1,3}\\.\\d{1,3}(?:\\.\\d{1,4})?");

  private ImageCuda() {}

  /** A build argument's value and where it came from, e.g. {@code nss.cudaVersion}. */
  record Setting(String value, String source) {
    String described() {
      return value + " (" + source + ")";
    }
  }

  static Optional<Setting> cudaVersion(CheckContext context) {
    return setting(context, context.settings().cudaVersion(), "nss.cudaVersion", "CUDA_VERSION");
  }

  /**
   * The CUDA version of the image's environment: {@code CUDA_VERSION} (e.g. 12.8.1), else the
   * {@code cuda>=} of {@code NVIDIA_REQUIRE_CUDA}.
   */
  static Optional<Setting> fromImage(Map<String, String> env, String image) {
    String version = env.getOrDefault("CUDA_VERSION", "").strip();
    if (VERSION.matcher(version).matches()) {
      return Optional.of(new Setting(version, "image " + image + ": ENV CUDA_VERSION"));
    }
    Matcher m = REQUIRE_CUDA.matcher(env.getOrDefault("NVIDIA_REQUIRE_CUDA", ""));
    return m.find()
        ? Optional.of(new Setting(m.group(1), "image " + image + ": ENV NVIDIA_REQUIRE_CUDA"))
        : Optional.empty();
  }

  static Optional<Setting> archFlags(CheckContext context) {
    return setting(
        context, context.settings().cudaArchFlags(), "nss.cudaArchFlags", "CUDA_ARCH_FLAGS");
  }

  private static Optional<Setting> setting(
      CheckContext context, String explicit, String property, String arg) {
    if (explicit != null && !explicit.isBlank()) {
      return Optional.of(new Setting(explicit.strip(), property));
    }
    for (Path dockerfile : context.settings().dockerfiles()) {
      if (dockerfile.getFileName().toString().equals(GPU_DOCKERFILE)) {
        try {
          return argDefault(Files.readString(dockerfile), arg)
              .map(v -> new Setting(v, "containers/" + GPU_DOCKERFILE + ": ARG " + arg));
        } catch (IOException e) {
          return Optional.empty();
        }
      }
    }
    try (InputStream in = ImageCuda.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        return Optional.empty();
      }
      return argDefault(new String(in.readAllBytes(), StandardCharsets.UTF_8), arg)
          .map(v -> new Setting(v, "bundled " + GPU_DOCKERFILE + ": ARG " + arg));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The default of {@code ARG name=value} (quotes removed), if the Dockerfile has one. */
  static Optional<String> argDefault(String dockerfile, String name) {
    Matcher m =
        Pattern.compile("(?m)^\\s*ARG\\s+" + Pattern.quote(name) + "=(\"[^\"]*\"|\\S+)")
            .matcher(dockerfile);
    return m.find() ? Optional.of(m.group(1).replace("\"", "")) : Optional.empty();
  }
}
