package dev.nss.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code sharing=locked} cache mounts of a Dockerfile that more than one {@code RUN} step
 * mounts: the pattern on which buildah 1.28 hangs (see docs/containers.md). Build args in ids stay
 * as written.
 */
final class LockedCacheMounts {

  private static final Pattern MOUNT = Pattern.compile("--mount=(\\S+)");

  private LockedCacheMounts() {}

  /** The locked cache ids that two or more RUN steps mount, in order of first use. */
  static List<String> reusedLockedIds(String dockerfile) {
    Map<String, Integer> runsPerId = new LinkedHashMap<>();
    Set<String> locked = new LinkedHashSet<>();
    for (String instruction : instructions(dockerfile)) {
      if (!instruction.regionMatches(true, 0, "RUN ", 0, 4)) {
        continue;
      }
      Set<String> idsOfThisRun = new LinkedHashSet<>();
      Matcher m = MOUNT.matcher(instruction);
      while (m.find()) {
        Map<String, String> options = options(m.group(1));
        if (!"cache".equals(options.get("type"))) {
          continue;
        }
        String id = options.getOrDefault("id", options.getOrDefault("target", options.get("dst")));
        if (id == null) {
          continue;
        }
        idsOfThisRun.add(id);
        if ("locked".equals(options.get("sharing"))) {
          locked.add(id);
        }
      }
      idsOfThisRun.forEach(id -> runsPerId.merge(id, 1, Integer::sum));
    }
    List<String> reused = new ArrayList<>();
    for (String id : locked) {
      if (runsPerId.getOrDefault(id, 0) > 1) {
        reused.add(id);
      }
    }
    return reused;
  }

  /** Instructions with their backslash continuations joined; comment lines dropped. */
  private static List<String> instructions(String dockerfile) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue;
      }
      boolean continues = trimmed.endsWith("\\");
      current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
      if (!continues) {
        if (!current.toString().isBlank()) {
          out.add(current.toString().strip());
        }
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static Map<String, String> options(String csv) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String part : csv.split(",")) {
      String[] keyValue = part.split("=", 2);
      options.put(keyValue[0], keyValue.length == 2 ? keyValue[1] : "");
    }
    return options;
  }
}
