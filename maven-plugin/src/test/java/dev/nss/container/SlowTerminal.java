package dev.nss.container;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A reader at the other end of a pipe that takes 200 ms for every write it is given: whoever writes
 * to it falls behind the command whose output it passes on.
 */
final class SlowTerminal extends OutputStream {

  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (received) {
      received.write(b, off, len);
    }
  }

  String received() {
    synchronized (received) {
      return received.toString(StandardCharsets.UTF_8);
    }
  }
}
