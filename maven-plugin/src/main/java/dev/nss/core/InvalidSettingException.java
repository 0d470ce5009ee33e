package dev.nss.core;

/**
 * A setting the user can fix. Raised before any engine call; the message names the property (an
 * {@code nss.*} name from {@link PropertyNames}, or how the user spells it) and ends in the fix.
 */
public final class InvalidSettingException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidSettingException(String property, String problem, String fix) {
    super(property + ": " + problem + ". " + fix);
  }
}
