package dev.nss.doctor;

/**
 * The doctor's report fails its {@code nss.doctor.failOn} policy; the message counts the findings.
 */
public final class DoctorFailedException extends Exception {

  private static final long serialVersionUID = 1L;

  public DoctorFailedException(String message) {
    super(message);
  }
}
