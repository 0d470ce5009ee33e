package dev.nss.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parts of {@code docker image inspect} the cases assert on. */
record ImageConfig(
    String id,
    String user,
    String workingDir,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    Map<String, String> labels,
    long size) {

  static ImageConfig from(Map<?, ?> image) {
    Map<?, ?> config = (Map<?, ?>) image.get("Config");
    Map<String, String> labels = new LinkedHashMap<>();
    Object rawLabels = config.get("Labels");
    if (rawLabels instanceof Map<?, ?> m) {
      m.forEach((k, v) -> labels.put((String) k, (String) v));
    }
    return new ImageConfig(
        (String) image.get("Id"),
        string(config.get("User")),
        string(config.get("WorkingDir")),
        strings(config.get("Entrypoint")),
        strings(config.get("Cmd")),
        strings(config.get("Env")),
        labels,
        ((Number) image.get("Size")).longValue());
  }

  /** The value of {@code NAME=value} in the image's environment. */
  Optional<String> envValue(String name) {
    return env.stream()
        .filter(e -> e.startsWith(name + "="))
        .map(e -> e.substring(name.length() + 1))
        .findFirst();
  }

  private static String string(Object o) {
    return o == null ? "" : (String) o;
  }

  /** null (as {@code ENTRYPOINT []} leaves it) reads as the empty list. */
  private static List<String> strings(Object o) {
    List<String> list = new ArrayList<>();
    if (o instanceof List<?> l) {
      l.forEach(e -> list.add((String) e));
    }
    return list;
  }
}
