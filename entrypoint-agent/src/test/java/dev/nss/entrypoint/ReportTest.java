package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void stringsAreEscaped() {
    StringBuilder out = new StringBuilder();
    Report.string(out, "a\"b\\c\nd\te\u0001é");
    assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001é\"", out.toString());
  }

  @Test
  void durationsAreMillisecondsWithThreeDecimals() {
    assertEquals("0.000", millis(0));
    assertEquals("0.001", millis(1_000));
    assertEquals("0.120", millis(120_000));
    assertEquals("0.100", millis(100_000));
    assertEquals("0.010", millis(10_000));
    assertEquals("0.099", millis(99_000));
    assertEquals("12.345", millis(12_345_678));
  }

  private static String millis(long nanos) {
    StringBuilder out = new StringBuilder();
    Report.millis(out, nanos);
    return out.toString();
  }

  @Test
  void wholeDocument() {
    Finding f = new Finding("shm", Level.WARNING, "small");
    f.durationNanos = 2_000_000;
    assertEquals(
        "{\n  \"mode\": \"strict\",\n  \"skipped\": null,\n  \"target\": \"t\",\n  \"checks\": [\n"
            + "    {\"id\": \"shm\", \"level\": \"WARNING\", \"message\": \"small\", \"durationMs\": 2.000}\n  ]\n}\n",
        Report.json("strict", null, "t", List.of(f)));
    assertEquals(
        "{\n  \"mode\": \"off\",\n  \"skipped\": \"NSS_PREFLIGHT=off\",\n  \"target\": \"t\",\n  \"checks\": []\n}\n",
        Report.json("off", "NSS_PREFLIGHT=off", "t", List.of()));
  }
}
