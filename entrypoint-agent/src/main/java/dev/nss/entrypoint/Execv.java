package dev.nss.entrypoint;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * execv(2) through the FFM API: the process keeps its PID, so tini's child becomes the target and
 * signals and exit codes reach it directly. execv keeps {@code environ}, so the target inherits
 * the environment unchanged. The downcall (int execv(void*, void*), errno captured) is registered
 * for native-image in META-INF/native-image/dev.nss/nss-entrypoint/reachability-metadata.json.
 */
final class Execv implements Launcher {
  /** Linked on first use only: the linker set-up is the most expensive part of the start. */
  private MethodHandle execv;
  private StructLayout captureLayout;

  @Override
  public int exec(Path program, List<byte[]> argv, PrintStream err) {
    err.flush();
    System.out.flush();
    try (Arena arena = Arena.ofConfined()) {
      Call call = prepare(arena, program, argv);
      int rc;
      try {
        rc = (int) execv.invokeExact(call.capture, call.path, call.argv);
      } catch (Throwable t) {
        err.println(Main.PREFIX + "ERROR: cannot exec " + program + ": " + Preflight.describe(t));
        return TargetResolver.NOT_EXECUTABLE;
      }
      int errno = call.errno();
      err.println(Main.PREFIX + "ERROR: execv " + program + " failed (rc " + rc + "): " + Errno.describe(errno)
          + ". Fix: check that " + program + " is a valid executable for this platform (a script needs a #! line)");
      return TargetResolver.NOT_EXECUTABLE;
    }
  }

  @Override
  public void rehearse(Path program, List<byte[]> argv) {
    try (Arena arena = Arena.ofConfined()) {
      prepare(arena, program, argv).errno();
    }
  }

  /** Everything short of the call itself; the AOT training run stops here. */
  Call prepare(Arena arena, Path program, List<byte[]> argv) {
    link();
    MemorySegment path = cString(arena, program.toString().getBytes(StandardCharsets.UTF_8));
    MemorySegment vector = arena.allocate(ValueLayout.ADDRESS, argv.size() + 1L);
    for (int i = 0; i < argv.size(); i++) {
      vector.setAtIndex(ValueLayout.ADDRESS, i, cString(arena, argv.get(i)));
    }
    vector.setAtIndex(ValueLayout.ADDRESS, argv.size(), MemorySegment.NULL);
    return new Call(arena.allocate(captureLayout), path, vector, captureLayout);
  }

  private void link() {
    if (execv != null) {
      return;
    }
    Linker linker = Linker.nativeLinker();
    MemorySegment symbol = linker.defaultLookup().find("execv").orElseThrow();
    captureLayout = Linker.Option.captureStateLayout();
    execv = linker.downcallHandle(symbol,
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
        Linker.Option.captureCallState("errno"));
  }

  private static MemorySegment cString(Arena arena, byte[] bytes) {
    MemorySegment segment = arena.allocate(bytes.length + 1L);
    MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
    segment.set(ValueLayout.JAVA_BYTE, bytes.length, (byte) 0);
    return segment;
  }

  static final class Call {
    final MemorySegment capture;
    final MemorySegment path;
    final MemorySegment argv;
    private final StructLayout captureLayout;

    Call(MemorySegment capture, MemorySegment path, MemorySegment argv, StructLayout captureLayout) {
      this.capture = capture;
      this.path = path;
      this.argv = argv;
      this.captureLayout = captureLayout;
    }

    int errno() {
      long offset = captureLayout.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
      return capture.get(ValueLayout.JAVA_INT, offset);
    }
  }
}
