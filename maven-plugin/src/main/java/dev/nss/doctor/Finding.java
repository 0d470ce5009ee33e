package dev.nss.doctor;

import java.util.Objects;

/**
 * What a check found: a status, the observed value and, unless all is well, a copy-pasteable fix.
 *
 * @param status the outcome
 * @param value what was observed, one line, never a secret
 * @param fix how to repair it; empty when {@code status} is {@link Status#OK}
 */
public record Finding(Status status, String value, String fix) {

  public Finding {
    Objects.requireNonNull(status, "status");
    value = value == null ? "" : value;
    fix = fix == null ? "" : fix;
  }

  public static Finding ok(String value) {
    return new Finding(Status.OK, value, "");
  }

  public static Finding warning(String value, String fix) {
    return new Finding(Status.WARNING, value, fix);
  }

  public static Finding error(String value, String fix) {
    return new Finding(Status.ERROR, value, fix);
  }

  /** An error when {@code severe}, else a warning: for checks whose weight depends on a setting. */
  public static Finding problem(boolean severe, String value, String fix) {
    return new Finding(severe ? Status.ERROR : Status.WARNING, value, fix);
  }
}
