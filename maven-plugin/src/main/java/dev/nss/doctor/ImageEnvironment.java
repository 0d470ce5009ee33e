package dev.nss.doctor;

import dev.nss.core.CommandResult;
import dev.nss.core.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment that the image named by {@code nss.image} declares ({@code image inspect}'s
 * {@code .Config.Env}), when the engine has it: one inspect under a short limit. Only the callers'
 * variables are taken from it; the rest (which may hold a baked-in secret) is never shown.
 */
final class ImageEnvironment {

  /** An inspect of a local image answers in well under a second; a hung engine is not waited on. */
  static final Duration LIMIT = Duration.ofSeconds(10);

  private ImageEnvironment() {}

  /** The CLI's arguments: the same on docker and podman. */
  static List<String> inspect(String image) {
    return List.of("image", "inspect", "--format", "{{json .Config.Env}}", image);
  }

  /**
   * @return the image's variables; empty without an image setting or a CLI, when the engine has no
   *     such image, or when it did not answer in time
   */
  static Map<String, String> read(CheckContext context) throws InterruptedException {
    String image = context.settings().image();
    if (image.isEmpty() || context.cliPath().isEmpty()) {
      return Map.of();
    }
    Duration timeout = context.settings().timeout();
    CommandResult result =
        context.cli(
            timeout.compareTo(LIMIT) < 0 ? timeout : LIMIT,
            Map.of(),
            "",
            inspect(image).toArray(String[]::new));
    return result.succeeded() ? parse(result.stdout()) : Map.of();
  }

  /** {@code ["PATH=/usr/bin","CUDA_VERSION=12.8.1"]} as a map; a later duplicate wins. */
  static Map<String, String> parse(String stdout) {
    Object value;
    try {
      value = Json.parse(stdout.strip());
    } catch (IllegalArgumentException e) {
      return Map.of();
    }
    Map<String, String> env = new LinkedHashMap<>();
    if (value instanceof List<?> entries) {
      for (Object entry : entries) {
        if (entry instanceof String text && text.indexOf('=') > 0) {
          int eq = text.indexOf('=');
          env.put(text.substring(0, eq), text.substring(eq + 1));
        }
      }
    }
    return env;
  }
}
