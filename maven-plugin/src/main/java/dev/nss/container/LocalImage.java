package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A local image as {@code image inspect} describes it (docker and podman print the same fields).
 *
 * @param platform {@code os/arch[/variant]}
 * @param labels the image's labels, empty when none
 */
record LocalImage(String id, String platform, Map<String, String> labels) {

  /**
   * Inspects {@code image}; null in dry-run mode.
   *
   * @throws InvalidSettingException when there is no such local image
   */
  static LocalImage inspect(
      ContainerCli cli, String cliName, String image, String property, String buildGoal)
      throws InvalidSettingException, CommandFailedException {
    ContainerCli.Output out = cli.capture(RegistryCommands.imageInspect(cliName, image));
    if (out == null) {
      return null;
    }
    if (out.exitCode() != 0) {
      String said = out.stderr().toLowerCase(Locale.ROOT);
      if (said.contains("no such image") || said.contains("image not known")) {
        throw new InvalidSettingException(
            property,
            "there is no local image '" + image + "' to push",
            "Build it first in the same run: mvn nss:"
                + buildGoal
                + " nss:push-gpu"
                + (buildGoal.endsWith("-dev") ? "-dev" : "")
                + ", or set -D"
                + property
                + " to an image that exists.");
      }
      throw cli.failure(out);
    }
    try {
      Map<?, ?> json = (Map<?, ?>) ((List<?>) Json.parse(out.stdout())).get(0);
      String platform = json.get("Os") + "/" + json.get("Architecture");
      Object variant = json.get("Variant");
      if (variant instanceof String v && !v.isBlank()) {
        platform += "/" + v;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (Json.at(json, "Config", "Labels") instanceof Map<?, ?> map) {
        map.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
      }
      return new LocalImage(String.valueOf(json.get("Id")), platform, labels);
    } catch (RuntimeException e) {
      throw new CommandFailedException(
          "Could not read `"
              + cliName
              + " image inspect "
              + image
              + "` ("
              + e.getMessage()
              + "). Check that "
              + cliName
              + " is docker or podman.",
          -1);
    }
  }
}
