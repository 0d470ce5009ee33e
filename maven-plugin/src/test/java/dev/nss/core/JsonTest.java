package dev.nss.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.doctor.FakeCommandRunner;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void readsCapturedDockerInfo() {
    Object info = Json.parse(FakeCommandRunner.resource("docker/info-client-20.10.json"));
    assertEquals("20.10.24+dfsg1", Json.at(info, "ServerVersion"));
    assertEquals(2L, Json.at(info, "NCPU"));
    assertEquals(
        List.of("Backing Filesystem", "extfs"), ((List<?>) Json.at(info, "DriverStatus")).get(0));
    assertEquals(null, Json.at(info, "Warnings"));
    assertEquals(Boolean.TRUE, Json.at(info, "MemoryLimit"));
  }

  @Test
  void valuesAndEscapes() {
    Object v =
        Json.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\\\"\"], \"b\": {}} ");
    assertEquals(Arrays.asList(1L, -2500.0, true, false, null, "xé\n\""), Json.at(v, "a"));
    assertEquals(Map.of(), Json.at(v, "b"));
    assertEquals("", Json.string(v, "a"));
  }

  @Test
  void quoteRoundTrips() {
    String s = "q\" b\\ n\n r\r t\t c\u0001 ✓ \u2028";
    assertEquals(s, Json.parse(Json.quote(s)));
    assertEquals("\"\\u0001\"", Json.quote("\u0001"));
  }

  @Test
  void rejectsBrokenJson() {
    for (String bad :
        new String[] {"", "{", "{\"a\" 1}", "[1,]", "tru", "{} x", "\"\\q\"", "\"open"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("invalid JSON at offset"), e.getMessage());
    }
  }

  @Test
  void whitespaceMayStandBetweenAllTokens() {
    assertEquals(Map.of(), Json.parse("{ }"));
    assertEquals(List.of(), Json.parse("[ ]"));
    assertEquals(Map.of("a", List.of(1L, 2L)), Json.parse("{\n  \"a\" : [ 1 , 2 ]\n}"));
  }

  @Test
  void numbersAtTheEdges() {
    assertEquals(Arrays.asList(0L, 9L, -7L), Json.parse("[0,9,-7]"));
    assertEquals(42L, Json.parse("42"));
    assertEquals(1.5, Json.parse("1.5"));
    assertEquals(12345678901234567890.0, Json.parse("12345678901234567890"), "beyond a long");
  }

  @Test
  void brokenInputIsNamedWithItsOffset() {
    assertEquals(
        "invalid JSON at offset 3: short \\u escape",
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\u00\"")).getMessage());
    assertEquals(
        "invalid JSON at offset 7: unexpected end of input",
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\u0041")).getMessage());
    assertEquals(
        "invalid JSON at offset 1: bad number '-'",
        assertThrows(IllegalArgumentException.class, () -> Json.parse("-")).getMessage());
    assertEquals(
        "invalid JSON at offset 8: expected ',' or '}'",
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1 2}")).getMessage());
    assertEquals(
        "invalid JSON at offset 4: expected ',' or ']'",
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1 2]")).getMessage());
  }

  @Test
  void quoteEscapesOnlyControlCharacters() {
    assertEquals("\" ~\"", Json.quote(" ~"));
    assertEquals("\"\\u001f\"", Json.quote("\u001f"));
    assertEquals("\"\\u2028\\u2029\"", Json.quote("\u2028\u2029"));
  }
}
