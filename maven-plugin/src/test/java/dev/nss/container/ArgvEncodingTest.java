package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArgvEncodingTest {

  @Test
  void anEncodingTheJvmDoesNotKnowFallsBackToItsDefaultCharset() {
    assertEquals(StandardCharsets.ISO_8859_1, ArgvEncoding.named("ISO-8859-1"));
    assertEquals(StandardCharsets.US_ASCII, ArgvEncoding.named("ANSI_X3.4-1968"));
    assertEquals(Charset.defaultCharset(), ArgvEncoding.named("x-no-such-charset"));
    assertEquals(Charset.defaultCharset(), ArgvEncoding.named("not a charset name"));
  }
}
