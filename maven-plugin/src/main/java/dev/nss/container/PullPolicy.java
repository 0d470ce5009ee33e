package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.util.Locale;

/**
 * When a run of an image this goal did not build pulls it ({@code nss.pull}), as the engines'
 * {@code --pull}: {@code missing} (only when there is no local image of that name), {@code always},
 * {@code never} (a missing image fails the create).
 */
public enum PullPolicy {
  MISSING,
  ALWAYS,
  NEVER;

  /** The policy {@code value} names (case-insensitive); null means the default. */
  static PullPolicy parse(String value) throws InvalidSettingException {
    if (value == null || value.isBlank()) {
      return MISSING;
    }
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(
          PropertyNames.PULL,
          "unknown pull policy '" + value + "'",
          "Set -D" + PropertyNames.PULL + " to missing, always or never.");
    }
  }

  /** The engines' word for it. */
  String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
