package dev.nss.it.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP proxy on a free 127.0.0.1 port to {@code 127.0.0.1:target} whose answers come at most
 * {@code bytesPerSecond}: a registry whose pulls take seconds, not milliseconds. Requests pass
 * unthrottled. Each connection ends with either side.
 */
final class ThrottledProxy implements AutoCloseable {

  private static final int CHUNK = 16 * 1024;

  private final ServerSocket server;
  private final int target;
  private final long bytesPerSecond;

  ThrottledProxy(int target, long bytesPerSecond) {
    this.target = target;
    this.bytesPerSecond = bytesPerSecond;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    daemon(this::accept, "nss-it-proxy");
  }

  /** {@code 127.0.0.1:PORT}. */
  String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        daemon(() -> copy(client, upstream, 0), "nss-it-proxy-up");
        daemon(() -> copy(upstream, client, bytesPerSecond), "nss-it-proxy-down");
      } catch (IOException e) {
        // closed, or the registry refused: the client sees its connection end
      }
    }
  }

  private static void copy(Socket from, Socket to, long rate) {
    byte[] buffer = new byte[CHUNK];
    long start = System.nanoTime();
    long sent = 0;
    try (from;
        to) {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
        sent += n;
        if (rate > 0) {
          long due = start + sent * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
      }
    } catch (IOException | InterruptedException e) {
      // either side ended the connection
    }
  }

  private static void daemon(Runnable body, String name) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
