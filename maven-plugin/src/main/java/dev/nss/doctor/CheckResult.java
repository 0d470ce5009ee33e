package dev.nss.doctor;

/**
 * One line of the report.
 *
 * @param id the check's stable id, e.g. {@code engine}
 * @param finding what it found
 * @param durationMillis how long it ran, in milliseconds
 */
public record CheckResult(String id, Finding finding, long durationMillis) {

  public Status status() {
    return finding.status();
  }
}
