package dev.nss.doctor;

import java.util.Locale;

/** Which findings make the doctor fail: {@code nss.doctor.failOn}. */
public enum FailOn {
  ERROR,
  WARNING,
  NEVER;

  /**
   * Parses {@code error}, {@code warning} or {@code never} (any case).
   *
   * @throws IllegalArgumentException naming the setting and the valid values
   */
  public static FailOn parse(String text) {
    String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    switch (value) {
      case "":
      case "error":
        return ERROR;
      case "warning":
        return WARNING;
      case "never":
        return NEVER;
      default:
        throw new IllegalArgumentException(
            "nss.doctor.failOn has the unknown value '"
                + text
                + "'; use one of error, warning, never (e.g. -Dnss.doctor.failOn=never)");
    }
  }

  /** Whether a report holding {@code worst} as its worst status fails. */
  public boolean fails(Status worst) {
    switch (this) {
      case ERROR:
        return worst == Status.ERROR;
      case WARNING:
        return worst != Status.OK;
      default:
        return false;
    }
  }

  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
