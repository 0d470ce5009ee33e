package dev.nss.container;

/**
 * A setting the user can fix. Raised before any engine call; the message names the property and ends in the fix.
 */
public final class InvalidSettingException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String property;
  private final String fix;

  public InvalidSettingException(String property, String problem, String fix) {
    super(property + ": " + problem + ". " + fix);
    this.property = property;
    this.fix = fix;
  }

  /** The {@code nss.*} property (or other setting) at fault. */
  public String property() {
    return property;
  }

  /** What the user should do. */
  public String fix() {
    return fix;
  }
}
