package dev.nss.doctor;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code major.minor} that a tool's version string starts with, e.g. 20.10 of {@code
 * 20.10.24+dfsg1} or 1.28 of {@code 1.28.2}; enough to compare against a known range.
 *
 * @param major the major version
 * @param minor the minor version
 */
record VersionNumber(int major, int minor) implements Comparable<VersionNumber> {

  private static final Pattern MAJOR_MINOR = Pattern.compile("v?(\\d{1,4})\\.(\\d{1,4})");

  /** The leading {@code major.minor} of {@code text}; empty when it does not start with one. */
  static Optional<VersionNumber> parse(String text) {
    Matcher m = MAJOR_MINOR.matcher(text.strip());
    if (!m.lookingAt()) {
      return Optional.empty();
    }
    return Optional.of(
        new VersionNumber(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
  }

  /** Whether {@code from <= this < until}. */
  boolean within(VersionNumber from, VersionNumber until) {
    return compareTo(from) >= 0 && compareTo(until) < 0;
  }

  @Override
  public int compareTo(VersionNumber other) {
    return major != other.major
        ? Integer.compare(major, other.major)
        : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
