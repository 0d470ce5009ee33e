package dev.nss.entrypoint;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.graalvm.nativeimage.UnmanagedMemory;
import org.graalvm.nativeimage.c.function.CFunction;
import org.graalvm.nativeimage.c.type.CCharPointer;
import org.graalvm.nativeimage.c.type.CCharPointerPointer;
import org.graalvm.nativeimage.c.type.CIntPointer;
import org.graalvm.nativeimage.c.type.CTypeConversion;

/**
 * execv(2) in a native image, through GraalVM's C interface ({@code @CFunction}): the same {@link
 * ArgvBlock} as the FFM binding, in malloc'd memory. Only {@link NativeMain} reaches this class, so
 * the JVM never loads it (nor any GraalVM class).
 */
final class CExecv implements Launcher {
  @CFunction(value = "execv", transition = CFunction.Transition.NO_TRANSITION)
  private static native int execv(CCharPointer path, CCharPointerPointer argv);

  /** glibc's and musl's errno accessor; read right after execv, with no transition in between. */
  @CFunction(value = "__errno_location", transition = CFunction.Transition.NO_TRANSITION)
  private static native CIntPointer errnoLocation();

  @Override
  public int exec(Path program, List<byte[]> argv, PrintStream err) {
    err.flush();
    System.out.flush();
    ArgvBlock layout = new ArgvBlock(program, argv);
    CCharPointer block = UnmanagedMemory.malloc(layout.size());
    try {
      CTypeConversion.asByteBuffer(block, layout.size()).put(layout.image(block.rawValue()));
      int rc = execv(block.addressOf(layout.pathOffset()), (CCharPointerPointer) block);
      return Errno.failure(program, rc, errnoLocation().read(), err);
    } finally {
      UnmanagedMemory.free(block);
    }
  }
}
