package dev.nss.entrypoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory that execv(2) reads, laid out in one block: the argv pointer vector (ending in NULL),
 * then each argument NUL-terminated, then the program path NUL-terminated. Both exec bindings (FFM
 * on the JVM, the C interface in a native image) fill native memory with {@link #image}.
 */
final class ArgvBlock {
  private final byte[] path;
  private final List<byte[]> argv;
  private final int vectorBytes;
  private final int size;

  ArgvBlock(Path program, List<byte[]> argv) {
    this.path = program.toString().getBytes(StandardCharsets.UTF_8);
    this.argv = argv;
    this.vectorBytes = (argv.size() + 1) * Long.BYTES;
    long total = vectorBytes + path.length + 1L;
    for (byte[] arg : argv) {
      total += arg.length + 1L;
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("argument list too long");
    }
    this.size = (int) total;
  }

  /** Bytes to allocate, 8-byte aligned. */
  int size() {
    return size;
  }

  /** Where the program path starts, relative to the block. */
  int pathOffset() {
    return size - path.length - 1;
  }

  /** The block's bytes for a block that lives at native address {@code base}. */
  byte[] image(long base) {
    byte[] image = new byte[size];
    ByteBuffer vector = ByteBuffer.wrap(image).order(ByteOrder.nativeOrder());
    int offset = vectorBytes;
    for (int i = 0; i < argv.size(); i++) {
      byte[] arg = argv.get(i);
      vector.putLong(i * Long.BYTES, base + offset);
      System.arraycopy(arg, 0, image, offset, arg.length);
      offset += arg.length + 1; // the array is zeroed: the terminating NUL is already there
    }
    // The last vector slot stays 0: the NULL that ends argv.
    System.arraycopy(path, 0, image, offset, path.length);
    return image;
  }
}
