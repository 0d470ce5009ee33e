package dev.nss.doctor;

import java.util.Locale;
import java.util.Optional;

/** Which findings make the doctor fail: {@code nss.doctor.failOn}. */
public enum FailOn {
  ERROR,
  WARNING,
  NEVER;

  /**
   * Parses {@code error}, {@code warning} or {@code never} (any case); the default for a blank
   * setting is {@link dev.nss.core.PropertyNames#DOCTOR_FAIL_ON_DEFAULT}, applied by {@link
   * DoctorSettings}.
   */
  public static Optional<FailOn> parse(String text) {
    String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    switch (value) {
      case "error":
        return Optional.of(ERROR);
      case "warning":
        return Optional.of(WARNING);
      case "never":
        return Optional.of(NEVER);
      default:
        return Optional.empty();
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
