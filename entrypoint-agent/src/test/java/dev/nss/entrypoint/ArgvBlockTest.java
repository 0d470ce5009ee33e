package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact bytes execv reads: pointer vector, NULL, arguments and path, each NUL-terminated. */
class ArgvBlockTest {
  private static final long BASE = 0x7f00_1234_5000L;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static long pointer(byte[] image, int slot) {
    return ByteBuffer.wrap(image).order(ByteOrder.nativeOrder()).getLong(slot * Long.BYTES);
  }

  /** The NUL-terminated string at {@code address} inside the block at BASE. */
  private static byte[] string(byte[] image, long address) {
    int start = (int) (address - BASE);
    int end = start;
    while (image[end] != 0) {
      end++;
    }
    return Arrays.copyOfRange(image, start, end);
  }

  @Test
  void layoutIsVectorThenArgumentsThenPath() {
    List<byte[]> argv =
        List.of(bytes("prog"), bytes(""), bytes("a b"), new byte[] {(byte) 0xff, 'x'});
    ArgvBlock block = new ArgvBlock(Path.of("/usr/bin/prog"), argv);
    byte[] image = block.image(BASE);

    // 5 vector slots (4 pointers + NULL), then "prog\0" "\0" "a b\0" "\xffx\0", then
    // "/usr/bin/prog\0".
    int vector = 5 * Long.BYTES;
    int strings = 5 + 1 + 4 + 3;
    assertEquals(vector + strings + 14, block.size());
    assertEquals(image.length, block.size());
    assertEquals(vector + strings, block.pathOffset());
    for (int i = 0; i < argv.size(); i++) {
      assertArrayEquals(argv.get(i), string(image, pointer(image, i)), "argument " + i);
    }
    assertEquals(BASE + vector, pointer(image, 0));
    assertEquals(BASE + vector + 5, pointer(image, 1));
    assertEquals(BASE + vector + 6, pointer(image, 2));
    assertEquals(0, pointer(image, 4), "argv ends with NULL");
    assertArrayEquals(bytes("/usr/bin/prog"), string(image, BASE + block.pathOffset()));
    assertEquals(0, image[image.length - 1]);
  }

  @Test
  void pointersFollowTheBase() {
    ArgvBlock block = new ArgvBlock(Path.of("/p"), List.of(bytes("p")));
    assertEquals(2 * Long.BYTES, pointer(block.image(0), 0));
    assertEquals(2 * Long.BYTES + 0x1000, pointer(block.image(0x1000), 0));
    assertEquals(-1L + 2 * Long.BYTES, pointer(block.image(-1L), 0), "all 8 bytes of the address");
  }

  @Test
  void noArgumentsIsJustTheNullAndThePath() {
    ArgvBlock block = new ArgvBlock(Path.of("/bin/x"), List.of());
    byte[] image = block.image(BASE);
    assertEquals(Long.BYTES + 7, block.size());
    assertEquals(0, pointer(image, 0));
    assertArrayEquals(bytes("/bin/x"), string(image, BASE + Long.BYTES));
  }

  @Test
  void aBlockOfExactlyTheLargestArraySizeIsAccepted() {
    // 2047 arguments of 1 MiB - 9 bytes (8-byte pointer + NUL each, 1 MiB in all), the NULL slot,
    // and a path
    // whose bytes and NUL fill the block up to Integer.MAX_VALUE: the size is computed, nothing is
    // allocated.
    List<byte[]> argv = Collections.nCopies(2047, new byte[(1 << 20) - 9]);
    int pathBytes = Integer.MAX_VALUE - 2047 * (1 << 20) - Long.BYTES - 1;
    ArgvBlock block = new ArgvBlock(Path.of("/" + "a".repeat(pathBytes - 1)), argv);
    assertEquals(Integer.MAX_VALUE, block.size());
  }

  @Test
  void anArgumentListBeyondTwoGigabytesIsRefused() {
    // 2048 references to one 1 MiB array: 2 GiB of arguments from 1 MiB of heap.
    List<byte[]> argv = Collections.nCopies(2048, new byte[1 << 20]);
    assertThrows(IllegalArgumentException.class, () -> new ArgvBlock(Path.of("/p"), argv));
  }
}
