package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only failing execs run in-process here; the successful one is covered by the process tests. */
class ExecvTest {
  @TempDir Path tmp;

  @Test
  void failingExecvReportsErrnoAndReturns126() throws IOException {
    // Executable bits but no #! line and no ELF header: execv fails with ENOEXEC.
    Path garbage = Files.write(tmp.resolve("garbage"), new byte[] {1, 2, 3, 4});
    Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rwxr-xr-x"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status =
        new Execv().exec(garbage, List.of("garbage".getBytes(StandardCharsets.UTF_8)), err);
    assertEquals(126, status);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("[nss-container] ERROR: execv " + garbage + " failed"), text);
    assertTrue(text.contains("ENOEXEC (Exec format error)"), text);
  }

  @Test
  void missingProgramGivesEnoent() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(126, new Execv().exec(tmp.resolve("absent"), List.of(new byte[0]), err));
    assertTrue(
        bytes.toString(StandardCharsets.UTF_8).contains("ENOENT"),
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void hintsPrintedBeforeTheExecAreFlushedFirst() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err =
        new PrintStream(new BufferedOutputStream(bytes), false, StandardCharsets.UTF_8);
    err.print("hint");
    new Execv().exec(tmp.resolve("absent"), List.of(new byte[0]), err);
    assertTrue(
        bytes.toString(StandardCharsets.UTF_8).startsWith("hint"),
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void errnoNames() {
    String[] names = {
      "1 EPERM (Operation not permitted)",
      "2 ENOENT (No such file or directory)",
      "5 EIO (Input/output error)",
      "7 E2BIG (Argument list too long)",
      "8 ENOEXEC (Exec format error)",
      "11 EAGAIN (Resource temporarily unavailable)",
      "12 ENOMEM (Cannot allocate memory)",
      "13 EACCES (Permission denied)",
      "14 EFAULT (Bad address)",
      "20 ENOTDIR (Not a directory)",
      "21 EISDIR (Is a directory)",
      "22 EINVAL (Invalid argument)",
      "23 ENFILE (Too many open files in system)",
      "24 EMFILE (Too many open files)",
      "26 ETXTBSY (Text file busy)",
      "36 ENAMETOOLONG (File name too long)",
      "40 ELOOP (Too many levels of symbolic links)"
    };
    for (String name : names) {
      int space = name.indexOf(' ');
      assertEquals(
          name.substring(space + 1), Errno.describe(Integer.parseInt(name.substring(0, space))));
    }
    assertEquals("errno 999", Errno.describe(999));
  }

  @Test
  void failureNamesTheProgramTheReturnCodeAndTheErrno() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(126, Errno.failure(Path.of("/opt/x"), -1, 2, err));
    assertEquals(
        "[nss-container] ERROR: execv /opt/x failed (rc -1): ENOENT (No such file or directory)."
            + " Fix: check that /opt/x is a valid executable for this platform (a script needs a #! line)"
            + System.lineSeparator(),
        bytes.toString(StandardCharsets.UTF_8));
  }
}
