package dev.nss.entrypoint;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Starts the target in this process's place; returns only when it did not. */
interface Launcher {
  /**
   * @param program the resolved executable
   * @param argv argv[0] followed by the arguments, as raw bytes
   * @return the agent's exit status: the failure status when the exec failed, or 0 when the calling
   *     launcher script is to exec the target itself
   */
  int exec(Path program, List<byte[]> argv, PrintStream err);
}
