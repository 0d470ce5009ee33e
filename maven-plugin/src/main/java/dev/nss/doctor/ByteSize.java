package dev.nss.doctor;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes such as {@code 40G}, {@code 40GiB}, {@code 500M} or {@code 1073741824}; every unit is
 * binary (G = GiB).
 */
public final class ByteSize {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

  private ByteSize() {}

  /** Parses a size; empty when the text is not one or does not fit a long. */
  public static OptionalLong parse(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    int shift = "kmgt".indexOf(unit.isEmpty() ? ' ' : unit.charAt(0));
    double factor = shift < 0 ? 1 : Math.pow(1024, shift + 1);
    double bytes = Double.parseDouble(m.group(1)) * factor;
    return bytes >= Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of((long) bytes);
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
