package dev.nss.entrypoint;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Replaces the process with the target; returns only when that failed. */
interface Launcher {
  /**
   * @param program the resolved executable
   * @param argv argv[0] followed by the arguments, as raw bytes
   * @return the exit status to use when the exec failed
   */
  int exec(Path program, List<byte[]> argv, PrintStream err);

  /** Everything {@link #exec} does short of replacing the process (the AOT training run). */
  void rehearse(Path program, List<byte[]> argv);
}
