package dev.nss.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a {@code .dockerignore} file, as the engine applies them: a path is excluded by the
 * last pattern that matches it or one of its parent directories; {@code !} patterns re-include.
 */
public final class DockerIgnore {

  private record Rule(String pattern, Pattern regex, boolean exception) {}

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = rules;
  }

  public static DockerIgnore parse(List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exception = line.startsWith("!");
      String pattern = clean(exception ? line.substring(1).strip() : line);
      if (pattern.isEmpty()) {
        continue;
      }
      rules.add(new Rule(pattern, Pattern.compile(toRegex(pattern)), exception));
    }
    return new DockerIgnore(rules);
  }

  public static DockerIgnore read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  /**
   * The pattern that excludes {@code relativePath} (slash-separated, relative to the context), or
   * null when the path reaches the build.
   */
  public String excludingPattern(String relativePath) {
    String path = clean(relativePath);
    String excludedBy = null;
    for (Rule rule : rules) {
      if (matchesOrParentMatches(rule.regex, path)) {
        excludedBy = rule.exception ? null : rule.pattern;
      }
    }
    return excludedBy;
  }

  private static boolean matchesOrParentMatches(Pattern regex, String path) {
    String candidate = path;
    while (true) {
      if (regex.matcher(candidate).matches()) {
        return true;
      }
      int slash = candidate.lastIndexOf('/');
      if (slash == -1) {
        return false;
      }
      candidate = candidate.substring(0, slash);
    }
  }

  /** Like Go's filepath.Clean plus the engine's removal of a leading slash. */
  private static String clean(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(part);
    }
    return String.join("/", parts);
  }

  /** Go filepath.Match syntax plus {@code **} for any number of directories. */
  private static String toRegex(String pattern) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '*') {
        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
          i += 2;
          if (i < pattern.length() && pattern.charAt(i) == '/') {
            re.append("(?:.*/)?");
            i++;
          } else {
            re.append(".*");
          }
          continue;
        }
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int end = pattern.indexOf(']', i + 1);
        if (end == -1) {
          re.append("\\[");
        } else {
          String cls = pattern.substring(i + 1, end);
          if (cls.startsWith("^") || cls.startsWith("!")) {
            cls = "^" + cls.substring(1);
          }
          re.append('[').append(cls.replace("\\", "\\\\")).append(']');
          i = end;
        }
      } else if (c == '\\' && i + 1 < pattern.length()) {
        re.append(Pattern.quote(String.valueOf(pattern.charAt(i + 1))));
        i++;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    return re.toString();
  }
}
