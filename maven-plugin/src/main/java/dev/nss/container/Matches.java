package dev.nss.container;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading facts out of a CLI's output. */
final class Matches {

  private Matches() {}

  /** Group 1 of the last match of {@code pattern} in {@code text}, or null. */
  static String lastGroup(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    String found = null;
    while (m.find()) {
      found = m.group(1);
    }
    return found;
  }
}
