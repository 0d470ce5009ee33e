package dev.nss.doctor;

/** The outcome of one check. */
public enum Status {
  OK("ok", "✓", "ok"),
  WARNING("warning", "!", "!"),
  ERROR("error", "✗", "x");

  private final String jsonName;
  private final String symbol;
  private final String asciiSymbol;

  Status(String jsonName, String symbol, String asciiSymbol) {
    this.jsonName = jsonName;
    this.symbol = symbol;
    this.asciiSymbol = asciiSymbol;
  }

  /** The name used in the JSON report: {@code ok}, {@code warning} or {@code error}. */
  public String jsonName() {
    return jsonName;
  }

  /** The table mark: ✓, ! or ✗ (or {@code ok}, {@code !}, {@code x} where the console cannot show them). */
  public String symbol(boolean unicode) {
    return unicode ? symbol : asciiSymbol;
  }
}
