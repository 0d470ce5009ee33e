package dev.nss.doctor;

import java.util.Comparator;
import java.util.List;

/**
 * The results of one doctor run.
 *
 * @param cli the container CLI that was checked
 * @param failOn the policy that decides {@link #failed()}
 * @param results one per selected check, in report order
 */
public record DoctorReport(String cli, FailOn failOn, List<CheckResult> results) {

  public DoctorReport {
    results = List.copyOf(results);
  }

  public Status worst() {
    return results.stream()
        .map(CheckResult::status)
        .max(Comparator.naturalOrder())
        .orElse(Status.OK);
  }

  public boolean failed() {
    return failOn.fails(worst());
  }

  public long count(Status status) {
    return results.stream().filter(r -> r.status() == status).count();
  }

  /**
   * One line: counts and the outcome, e.g. {@code 7 ok, 1 warning, 2 errors: fails
   * (nss.doctor.failOn=error)}.
   */
  public String summary() {
    long warnings = count(Status.WARNING);
    long errors = count(Status.ERROR);
    return count(Status.OK)
        + " ok, "
        + warnings
        + (warnings == 1 ? " warning, " : " warnings, ")
        + errors
        + (errors == 1 ? " error" : " errors")
        + ": "
        + (failed() ? "fails" : "passes")
        + " (nss.doctor.failOn="
        + failOn.jsonName()
        + ")";
  }
}
