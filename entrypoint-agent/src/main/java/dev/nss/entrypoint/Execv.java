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
import java.nio.ByteOrder;
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
      Call call;
      try {
        call = prepare(arena, program, argv);
      } catch (RuntimeException e) {
        err.println(Main.PREFIX + "ERROR: cannot prepare the exec of " + program + ": " + Preflight.describe(e)
            + ". Fix: run the image on linux/amd64 or linux/arm64");
        return TargetResolver.NOT_EXECUTABLE;
      }
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

  /**
   * Everything short of the call itself; the AOT training run stops here. The path, the strings
   * and the pointer vector are laid out in one Java array and copied in one go: per-element
   * accesses through value layouts would spin var-handle classes at every start.
   */
  Call prepare(Arena arena, Path program, List<byte[]> argv) {
    if (ValueLayout.ADDRESS.byteSize() != Long.BYTES) {
      throw new UnsupportedOperationException("only 64-bit platforms are supported");
    }
    link();
    byte[] path = program.toString().getBytes(StandardCharsets.UTF_8);
    int vectorBytes = (argv.size() + 1) * Long.BYTES;
    long size = vectorBytes + path.length + 1L;
    for (byte[] arg : argv) {
      size += arg.length + 1L;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("argument list too long");
    }
    MemorySegment block = arena.allocate(size, Long.BYTES);
    long base = block.address();
    byte[] image = new byte[(int) size];
    int offset = vectorBytes;
    for (int i = 0; i < argv.size(); i++) {
      byte[] arg = argv.get(i);
      putAddress(image, i * Long.BYTES, base + offset);
      System.arraycopy(arg, 0, image, offset, arg.length);
      offset += arg.length + 1; // the array is zeroed: the terminating NUL is already there
    }
    // The last vector slot stays 0: the NULL that ends argv.
    System.arraycopy(path, 0, image, offset, path.length);
    block.copyFrom(MemorySegment.ofArray(image));
    return new Call(arena.allocate(captureLayout), block.asSlice(offset), block, captureLayout);
  }

  private static void putAddress(byte[] image, int at, long address) {
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      for (int i = 0; i < Long.BYTES; i++) {
        image[at + i] = (byte) (address >>> (8 * i));
      }
    } else {
      for (int i = 0; i < Long.BYTES; i++) {
        image[at + Long.BYTES - 1 - i] = (byte) (address >>> (8 * i));
      }
    }
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
