package dev.nss.doctor;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes such as {@code 40G}, {@code 40GiB}, {@code 500M} or {@code 1073741824}; every unit is binary (G = GiB). */
public final class ByteSize {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

  private ByteSize() {}

  /**
   * Parses a size.
   *
   * @param setting the property name to put in the error message
   * @throws IllegalArgumentException naming the setting and the accepted forms
   */
  public static long parse(String text, String setting) {
    Matcher m = SIZE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          setting
              + " has the unreadable size '"
              + text
              + "'; use a number with an optional unit K, M, G or T (binary: 40G = 40GiB), e.g. -D"
              + setting
              + "=40G");
    }
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    int shift = "kmgt".indexOf(unit.isEmpty() ? ' ' : unit.charAt(0));
    double factor = shift < 0 ? 1 : Math.pow(1024, shift + 1);
    double bytes = Double.parseDouble(m.group(1)) * factor;
    if (bytes >= Long.MAX_VALUE) {
      throw new IllegalArgumentException(setting + " is too large: '" + text + "'");
    }
    return (long) bytes;
  }

  /** Formats bytes for people: {@code 80.3 GiB}, {@code 512 MiB}, {@code 900 B}. */
  public static String format(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    if (unit == 0 || value >= 100 || value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%.0f %s", value, units[unit]);
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
