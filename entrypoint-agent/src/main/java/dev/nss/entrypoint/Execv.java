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
import java.nio.file.Path;
import java.util.List;

/**
 * execv(2) through the FFM API, for the agent started as a plain {@code java} program: the process
 * keeps its PID, so the target gets the agent's place, and {@code environ}, so it inherits the
 * environment unchanged. Native images use {@link CExecv}; the JVM distribution {@link ScriptExec}.
 */
final class Execv implements Launcher {
  @Override
  public int exec(Path program, List<byte[]> argv, PrintStream err) {
    err.flush();
    System.out.flush();
    try (Arena arena = Arena.ofConfined()) {
      MethodHandle execv;
      StructLayout captureLayout;
      MemorySegment block;
      ArgvBlock layout;
      try {
        if (ValueLayout.ADDRESS.byteSize() != Long.BYTES) {
          throw new UnsupportedOperationException("only 64-bit platforms are supported");
        }
        Linker linker = Linker.nativeLinker();
        captureLayout = Linker.Option.captureStateLayout();
        execv =
            linker.downcallHandle(
                linker.defaultLookup().find("execv").orElseThrow(),
                FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                Linker.Option.captureCallState("errno"));
        layout = new ArgvBlock(program, argv);
        block = arena.allocate(layout.size(), Long.BYTES);
        block.copyFrom(MemorySegment.ofArray(layout.image(block.address())));
      } catch (RuntimeException e) {
        err.println(
            Messages.PREFIX
                + "ERROR: cannot prepare the exec of "
                + program
                + ": "
                + Messages.describe(e)
                + ". Fix: run the image on linux/amd64 or linux/arm64");
        return TargetResolver.NOT_EXECUTABLE;
      }
      MemorySegment capture = arena.allocate(captureLayout);
      int rc;
      try {
        rc = (int) execv.invokeExact(capture, block.asSlice(layout.pathOffset()), block);
      } catch (Throwable t) {
        err.println(
            Messages.PREFIX + "ERROR: cannot exec " + program + ": " + Messages.describe(t));
        return TargetResolver.NOT_EXECUTABLE;
      }
      long errnoOffset = captureLayout.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
      return Errno.failure(program, rc, capture.get(ValueLayout.JAVA_INT, errnoOffset), err);
    }
  }
}
