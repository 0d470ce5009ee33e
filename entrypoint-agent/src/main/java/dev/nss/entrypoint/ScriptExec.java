package dev.nss.entrypoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM distribution's way: the JVM runs the checks and exits 0, and its launcher script, which
 * is tini's child, execs the target with {@code exec "$target" "$@"} (same PID, arguments byte for
 * byte). The JVM never links a native function, which keeps its start short.
 */
final class ScriptExec implements Launcher {
  /** Set by bin/nss-entrypoint on the java command line. */
  static final String PROPERTY = "nss.entrypoint.scriptExec";

  private static final int ENOEXEC = 8;

  @Override
  public int exec(Path program, List<byte[]> argv, PrintStream err) {
    // A shell whose exec gets ENOEXEC runs the file as a shell script; execv would fail instead,
    // and so does the agent: the target must start with #! or be an ELF executable.
    if (!hasExecutableMagic(program)) {
      err.println(
          Messages.PREFIX
              + "ERROR: "
              + program
              + " is neither a #! script nor an ELF executable: "
              + Errno.describe(ENOEXEC)
              + ". Fix: check that "
              + program
              + " is a valid executable for this platform (a script needs a #! line)");
      err.flush();
      return TargetResolver.NOT_EXECUTABLE;
    }
    err.flush();
    return 0;
  }

  static boolean hasExecutableMagic(Path program) {
    byte[] head;
    try (InputStream in = Files.newInputStream(program)) {
      head = in.readNBytes(4);
    } catch (IOException | RuntimeException e) {
      return true; // unreadable but executable: let the kernel decide
    }
    boolean script = head.length >= 2 && head[0] == '#' && head[1] == '!';
    boolean elf =
        head.length == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    return script || elf;
  }
}
