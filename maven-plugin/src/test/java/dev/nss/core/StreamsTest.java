package dev.nss.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamsTest {

  /** {@code text}, then a read error if {@code failing}; records its close. */
  private static final class Source extends InputStream {
    private final InputStream bytes;
    private final boolean failing;
    boolean closed;

    Source(String text, boolean failing) {
      this.bytes = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
      this.failing = failing;
    }

    @Override
    public int read() throws IOException {
      throw new AssertionError("the pump reads chunks");
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = bytes.read(buffer, offset, length);
      if (n == -1 && failing) {
        throw new IOException("Stream closed");
      }
      return n;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void copyHandsOnEveryByteThenCloses() throws Exception {
    String text = "x".repeat(20_000) + "end";
    Source source = new Source(text, false);
    ByteArrayOutputStream copied = new ByteArrayOutputStream();
    List<Integer> chunks = new ArrayList<>();

    Streams.copy(
        source,
        (buffer, length) -> {
          copied.write(buffer, 0, length);
          chunks.add(length);
        });

    assertEquals(text, copied.toString(StandardCharsets.UTF_8));
    assertTrue(chunks.size() > 1, "read in chunks: " + chunks);
    assertTrue(source.closed);
  }

  @Test
  void aReadErrorIsThrownAfterWhatWasReadAndTheClose() {
    Source source = new Source("partial", true);
    ByteArrayOutputStream copied = new ByteArrayOutputStream();

    IOException e =
        assertThrows(
            IOException.class,
            () -> Streams.copy(source, (buffer, length) -> copied.write(buffer, 0, length)));

    assertEquals("Stream closed", e.getMessage());
    assertEquals("partial", copied.toString(StandardCharsets.UTF_8));
    assertTrue(source.closed);
  }

  @Test
  void linesAreSplitAsReadLineSplitsThem() throws Exception {
    Source source = new Source("a\nb\r\nc\rd\n\nlast", false);
    List<String> lines = new ArrayList<>();

    Streams.lines(source, StandardCharsets.UTF_8, lines::add);

    assertEquals(List.of("a", "b", "c", "d", "", "last"), lines);
    assertTrue(source.closed);
  }

  @Test
  void linesThrowAReadError() {
    Source source = new Source("a\n", true);
    List<String> lines = new ArrayList<>();

    assertThrows(
        IOException.class, () -> Streams.lines(source, StandardCharsets.UTF_8, lines::add));

    assertEquals(List.of("a"), lines);
    assertTrue(source.closed);
  }

  @Test
  void aPumpThreadHandsOnWhatItReadUntilAReadErrorEndsIt() throws Exception {
    Source source = new Source("before the end", true);
    ByteArrayOutputStream copied = new ByteArrayOutputStream();

    Thread pump =
        Streams.copyInBackground(
            source, (buffer, length) -> copied.write(buffer, 0, length), "test-pump");
    pump.join(10_000);

    assertFalse(pump.isAlive());
    assertTrue(pump.isDaemon(), "a pump never holds the JVM");
    assertEquals("test-pump", pump.getName());
    assertEquals("before the end", copied.toString(StandardCharsets.UTF_8));
    assertTrue(source.closed);
  }
}
