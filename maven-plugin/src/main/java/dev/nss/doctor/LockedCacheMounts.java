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
 * The buildah releases that hang on {@code sharing=locked} cache mounts, and the {@code
 * sharing=locked} cache mounts of a Dockerfile that more than one {@code RUN} step mounts: the
 * pattern on which they hang (see docs/containers.md). Build args in ids stay as written.
 */
final class LockedCacheMounts {

  /*
   * Sources (GitHub, containers/buildah): sharing=locked came with PR #3820 (merged 2022-03; first
   * released in 1.25). Its clean-up unlocked only the last cache mount of a RUN step, so a locked
   * mount with a second cache mount beside it stayed locked, and the next RUN step of the build that
   * mounts that id waits forever: issue #4342 ("RUN --mount-type=cache,sharing=locked hangs in
   * specific cases", 2022-10-14). Fixed by PR #4349 (collects the locks of every mount of a RUN
   * step) and PR #4352 (simplify and fix cache volume locking), merged 2022-10-19, after the 1.28
   * branch: the maintainer wrote it would "officially show up in next release of buildah", 1.29.0.
   * Seen here: podman 4.3.1 with buildah 1.28.2 hangs on it (docs/containers.md).
   */

  /** The first buildah release with {@code sharing=locked}, and so with the hang. */
  static final VersionNumber FIRST_HANGING_BUILDAH = new VersionNumber(1, 25);

  /** The first buildah release with the fix. */
  static final VersionNumber FIXED_IN_BUILDAH = new VersionNumber(1, 29);

  private static final Pattern MOUNT = Pattern.compile("--mount=(\\S+)");

  private LockedCacheMounts() {}

  /**
   * Whether a buildah of this version ({@code podman info}'s {@code host.buildahVersion}) hangs on
   * two RUN steps that mount one {@code sharing=locked} cache id; false when unknown.
   */
  static boolean hangs(String buildahVersion) {
    return VersionNumber.parse(buildahVersion)
        .filter(v -> v.within(FIRST_HANGING_BUILDAH, FIXED_IN_BUILDAH))
        .isPresent();
  }

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
