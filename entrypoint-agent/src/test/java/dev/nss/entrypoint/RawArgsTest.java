package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawArgsTest {
  private static byte[] cmdline(String... entries) {
    StringBuilder s = new StringBuilder();
    for (String e : entries) {
      s.append(e).append('\0');
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void lastEntriesAreTheArguments() {
    List<byte[]> args =
        RawArgs.lastEntries(cmdline("java", "-cp", "x", "Main", "a", "", "b\nc", "é"), 4);
    assertEquals(List.of("a", "", "b\nc", "é"), args.stream().map(RawArgsTest::str).toList());
  }

  @Test
  void emptyLastArgument() {
    List<byte[]> args = RawArgs.lastEntries(cmdline("java", "Main", "a", ""), 2);
    assertEquals(List.of("a", ""), args.stream().map(RawArgsTest::str).toList());
  }

  @Test
  void onlyEmptyArguments() {
    List<byte[]> args = RawArgs.lastEntries(cmdline("java", "Main", "", "", ""), 3);
    assertEquals(List.of("", "", ""), args.stream().map(RawArgsTest::str).toList());
    assertEquals("Main", str(RawArgs.lastEntries(cmdline("java", "Main", "", "", ""), 4).get(0)));
  }

  @Test
  void noArguments() {
    assertTrue(RawArgs.lastEntries(cmdline("java", "Main"), 0).isEmpty());
  }

  @Test
  void moreArgumentsThanEntriesIsNull() {
    assertNull(RawArgs.lastEntries(cmdline("java", "Main"), 3));
    assertEquals(2, RawArgs.lastEntries(cmdline("java", "Main"), 2).size());
  }

  @Test
  void rawBytesMustAgreeWithTheDecodedAsciiArguments() {
    List<byte[]> raw = RawArgs.lastEntries(cmdline("a", "b"), 2);
    assertTrue(RawArgs.consistent(raw, new String[] {"a", "b"}));
    assertFalse(RawArgs.consistent(raw, new String[] {"a", "c"}));
    assertFalse(RawArgs.consistent(raw, new String[] {"a", "bb"}));
  }

  @Test
  void nonAsciiArgumentsDecodedAsReplacementCharactersAreAccepted() {
    List<byte[]> raw = List.of(new byte[] {(byte) 0xc3, (byte) 0xa9});
    assertTrue(RawArgs.consistent(raw, new String[] {"\ufffd\ufffd"}));
    assertFalse(RawArgs.consistent(List.of(new byte[0]), new String[] {"\ufffd"}));
  }

  @Test
  void aSingleEmptyEntryAndEntriesFromTheStart() {
    assertEquals(
        List.of(""),
        RawArgs.lastEntries(new byte[] {0}, 1).stream().map(RawArgsTest::str).toList());
    assertEquals(
        List.of("a", "b"),
        RawArgs.lastEntries(cmdline("a", "b"), 2).stream().map(RawArgsTest::str).toList());
    assertNull(RawArgs.lastEntries(cmdline("a", "b"), 3));
  }

  @Test
  void ofTakesTheRawBytesWhenTheyAgreeAndTheDecodedStringsOtherwise() throws Exception {
    byte[] cmdline = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/cmdline"));
    List<byte[]> mine = RawArgs.lastEntries(cmdline, 1);
    String last = str(mine.get(0));
    // This JVM's own last argument, given as the argument list: /proc agrees, the raw bytes are
    // used.
    assertArrayEquals(mine.get(0), RawArgs.of(new String[] {last}).get(0));
    // An argument list that /proc does not hold: the decoded strings are used.
    assertArrayEquals(
        "not-this-jvms".getBytes(StandardCharsets.UTF_8),
        RawArgs.of(new String[] {"not-this-jvms"}).get(0));
    assertEquals(1, RawArgs.of(new String[] {"not-this-jvms"}).size());
  }

  @Test
  void inThisJvmTheArgumentsComeFromProc() {
    // The test JVM's own last argument list is unknown, so only the fallback is checked exactly.
    List<byte[]> encoded = RawArgs.encoded(new String[] {"é", ""});
    assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0xa9}, encoded.get(0));
    assertEquals(0, encoded.get(1).length);
    assertEquals(0, RawArgs.of(new String[0]).size());
  }
}
