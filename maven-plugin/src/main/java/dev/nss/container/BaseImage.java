package dev.nss.container;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The base image of a Dockerfile's target stage, read as the engine would: the global {@code ARG}s
 * (defaults, overridden by the build args) expanded in the {@code FROM} line, a stage built {@code
 * FROM} an earlier stage followed to that stage's base. Empty where it cannot be told for sure (an
 * expansion other than {@code $NAME} or {@code ${NAME}}, an unknown target); {@value #SCRATCH}
 * where there is none.
 */
final class BaseImage {

  static final String SCRATCH = "scratch";

  private static final Pattern FROM =
      Pattern.compile("(?i)^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
  private static final Pattern ARG = Pattern.compile("(?i)^ARG\\s+([A-Za-z_][A-Za-z0-9_]*)(=.*)?$");
  private static final Pattern VARIABLE =
      Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

  /**
   * An image reference once expanded (a registry may have a port); an empty ARG leaves e.g. {@code
   * repo:} or {@code :tag}.
   */
  private static final Pattern REFERENCE =
      Pattern.compile(
          "(?:[A-Za-z0-9][A-Za-z0-9.-]*:[0-9]+/)?[A-Za-z0-9][A-Za-z0-9._/-]*"
              + "(?::[A-Za-z0-9._-]+)?(?:@sha256:[0-9a-f]{64})?");

  private record Stage(String image, String name) {}

  private BaseImage() {}

  /**
   * @param target the stage built, or null for the last
   */
  static Optional<String> of(String dockerfile, String target, Map<String, String> buildArgs) {
    Map<String, String> args = new HashMap<>();
    List<Stage> stages = new ArrayList<>();
    for (String line : instructions(dockerfile)) {
      Matcher from = FROM.matcher(line);
      Matcher arg = ARG.matcher(line);
      if (from.matches()) {
        String name = from.group(2) == null ? null : from.group(2).toLowerCase(Locale.ROOT);
        stages.add(new Stage(from.group(1), name));
      } else if (stages.isEmpty() && arg.matches()) {
        String value = arg.group(2) == null ? "" : unquote(arg.group(2).substring(1).strip());
        args.put(arg.group(1), buildArgs.getOrDefault(arg.group(1), value));
      }
    }
    int index = stages.size() - 1;
    if (target != null) {
      index = indexOf(stages, target.toLowerCase(Locale.ROOT), stages.size());
    }
    while (index >= 0) { // each step goes to an earlier stage
      Optional<String> image = expand(stages.get(index).image(), args);
      if (image.isEmpty() || image.get().equalsIgnoreCase(SCRATCH)) {
        return image;
      }
      int earlier = indexOf(stages, image.get().toLowerCase(Locale.ROOT), index);
      if (earlier < 0) {
        return image;
      }
      index = earlier;
    }
    return Optional.empty();
  }

  /** Whether the Dockerfile has the stage {@code target} (null: any stage). */
  static boolean hasStage(String dockerfile, String target) {
    for (String line : instructions(dockerfile)) {
      Matcher from = FROM.matcher(line);
      if (from.matches()
          && (target == null || from.group(2) != null && from.group(2).equalsIgnoreCase(target))) {
        return true;
      }
    }
    return false;
  }

  /** The last stage named {@code name} before {@code before}, or -1. */
  private static int indexOf(List<Stage> stages, String name, int before) {
    for (int i = before - 1; i >= 0; i--) {
      if (name.equals(stages.get(i).name())) {
        return i;
      }
    }
    return -1;
  }

  private static Optional<String> expand(String word, Map<String, String> args) {
    Matcher m = VARIABLE.matcher(word);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(name, "")));
    }
    m.appendTail(out);
    String image = out.toString();
    return REFERENCE.matcher(image).matches() ? Optional.of(image) : Optional.empty();
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  /** The instructions, continuation lines joined, comments and blank lines left out. */
  private static List<String> instructions(String dockerfile) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : dockerfile.split("\r?\n")) {
      String line = raw.strip();
      if (line.startsWith("#") || line.isEmpty()) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      out.add(current.toString().strip());
      current.setLength(0);
    }
    if (!current.isEmpty()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
