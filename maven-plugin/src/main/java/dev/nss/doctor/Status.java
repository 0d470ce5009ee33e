package dev.nss.doctor;

import java.util.Locale;

/** The outcome of one check. */
public enum Status {
  OK("✓", "ok"),
  WARNING("!", "!"),
  ERROR("✗", "x");

  private final String symbol;
  private final String asciiSymbol;

  Status(String symbol, String asciiSymbol) {
    this.symbol = symbol;
    this.asciiSymbol = asciiSymbol;
  }

  /** The name used in the JSON report: {@code ok}, {@code warning} or {@code error}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The table mark: ✓, ! or ✗ (or {@code ok}, {@code !}, {@code x} where the console cannot show
   * them).
   */
  public String symbol(boolean unicode) {
    return unicode ? symbol : asciiSymbol;
  }
}
