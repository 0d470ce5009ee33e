package dev.nss.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Splits a property value into words like a POSIX shell does, but with no expansion of any kind:
 * quotes group, backslash escapes, {@code $}, {@code *} and {@code ~} stay literal. Also quotes
 * argv back into one line for the log.
 */
public final class ShellWords {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private ShellWords() {}

  /**
   * Splits {@code value} into words.
   *
   * @param value the raw value; null or blank gives no words
   * @param property the property the value came from, named in the error
   * @throws InvalidSettingException on an unbalanced quote or a trailing backslash
   */
  public static List<String> split(String value, String property) throws InvalidSettingException {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = value == null ? 0 : value.length();
    while (i < n) {
      char c = value.charAt(i);
      if (c == '\'') {
        int end = value.indexOf('\'', i + 1);
        if (end == -1) {
          throw unbalanced(property, "single quote (')");
        }
        word.append(value, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i = readDoubleQuoted(value, i + 1, word, property);
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 >= n) {
          throw new InvalidSettingException(
              property, "the value ends in a lone backslash", "Remove it or escape it as \\\\.");
        }
        char next = value.charAt(i + 1);
        if (next != '\n') { // backslash-newline is a line continuation
          word.append(next);
          inWord = true;
        }
        i += 2;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private static int readDoubleQuoted(String value, int start, StringBuilder word, String property)
      throws InvalidSettingException {
    int i = start;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < value.length() && "\"\\$`".indexOf(value.charAt(i + 1)) >= 0) {
        word.append(value.charAt(i + 1));
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    throw unbalanced(property, "double quote (\")");
  }

  private static InvalidSettingException unbalanced(String property, String quote) {
    return new InvalidSettingException(
        property,
        "unbalanced " + quote,
        "Close the quote, or escape a literal quote with a backslash.");
  }

  /** Quotes one word so that a POSIX shell would read it back unchanged. */
  public static String quote(String word) {
    if (!word.isEmpty() && SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\"'\"'") + "'";
  }

  /** Joins argv into one line that a POSIX shell would split back into the same words. */
  public static String quote(List<String> argv) {
    return argv.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
  }
}
