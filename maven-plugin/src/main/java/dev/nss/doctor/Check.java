package dev.nss.doctor;

/** One doctor check. Implementations are stateless; everything they read comes from the context. */
public interface Check {

  /** The stable id used in {@code nss.doctor.checks}, the table and the JSON report. */
  String id();

  /** What it checks, for the docs and {@code DoctorMain --list}. */
  String description();

  /**
   * Runs the check. The doctor bounds it in time and turns an exception into an error finding.
   *
   * @throws Exception for anything unexpected
   */
  Finding run(CheckContext context) throws Exception;
}
