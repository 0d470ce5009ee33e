package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptExecTest {
  @TempDir Path tmp;
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  /** Not auto-flushing: what the agent printed reaches the bytes only when it flushes. */
  final PrintStream err =
      new PrintStream(new BufferedOutputStream(bytes), false, StandardCharsets.UTF_8);

  private Path file(String name, byte... content) throws IOException {
    return Files.write(tmp.resolve(name), content);
  }

  @Test
  void aScriptOrAnElfExecutableIsHandedBackWithStatus0AndTheHintsFlushed() throws IOException {
    err.print("hints so far");
    assertEquals(
        0,
        new ScriptExec().exec(file("script", (byte) '#', (byte) '!', (byte) '/'), List.of(), err));
    assertEquals("hints so far", bytes.toString(StandardCharsets.UTF_8));
    assertEquals(
        0,
        new ScriptExec()
            .exec(
                file("elf", (byte) 0x7f, (byte) 'E', (byte) 'L', (byte) 'F', (byte) 2),
                List.of(),
                err));
  }

  @Test
  void anythingElseIs126WithEnoexecAndFlushed() throws IOException {
    Path text = file("text", (byte) 'e', (byte) 'c', (byte) 'h', (byte) 'o');
    assertEquals(126, new ScriptExec().exec(text, List.of(), err));
    assertEquals(
        "[nss-container] ERROR: "
            + text
            + " is neither a #! script nor an ELF executable: ENOEXEC"
            + " (Exec format error). Fix: check that "
            + text
            + " is a valid executable for this platform"
            + " (a script needs a #! line)"
            + System.lineSeparator(),
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void magicNumbers() throws IOException {
    assertTrue(ScriptExec.hasExecutableMagic(file("a", (byte) '#', (byte) '!')));
    assertFalse(ScriptExec.hasExecutableMagic(file("b", (byte) '#')));
    assertFalse(ScriptExec.hasExecutableMagic(file("c", (byte) '!', (byte) '#')));
    assertFalse(ScriptExec.hasExecutableMagic(file("d", (byte) '#', (byte) '#')));
    assertFalse(ScriptExec.hasExecutableMagic(file("e")));
    assertTrue(
        ScriptExec.hasExecutableMagic(file("f", (byte) 0x7f, (byte) 'E', (byte) 'L', (byte) 'F')));
    assertFalse(ScriptExec.hasExecutableMagic(file("g", (byte) 0x7f, (byte) 'E', (byte) 'L')));
    assertFalse(
        ScriptExec.hasExecutableMagic(file("h", (byte) 0x7e, (byte) 'E', (byte) 'L', (byte) 'F')));
    assertFalse(
        ScriptExec.hasExecutableMagic(file("i", (byte) 0x7f, (byte) 'e', (byte) 'L', (byte) 'F')));
    assertFalse(
        ScriptExec.hasExecutableMagic(file("j", (byte) 0x7f, (byte) 'E', (byte) 'l', (byte) 'F')));
    assertFalse(
        ScriptExec.hasExecutableMagic(file("k", (byte) 0x7f, (byte) 'E', (byte) 'L', (byte) 'f')));
  }

  @Test
  void anUnreadableTargetIsLeftToTheKernel() {
    // A directory cannot be read as a file: the agent does not guess, the exec will say why.
    assertTrue(ScriptExec.hasExecutableMagic(tmp));
  }
}
