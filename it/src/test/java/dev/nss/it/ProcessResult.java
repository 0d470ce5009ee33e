package dev.nss.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A finished process: argv, exit code, stdout and stderr as UTF-8. */
public record ProcessResult(List<String> argv, int exitCode, String stdout, String stderr) {

  /**
   * Runs {@code argv} (stdin closed) with {@code env} added to this JVM's environment, to
   * completion.
   */
  public static ProcessResult of(List<String> argv, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      var err = new CompletableFuture<byte[]>();
      Thread t =
          new Thread(
              () -> {
                try {
                  err.complete(p.getErrorStream().readAllBytes());
                } catch (IOException e) {
                  err.completeExceptionally(e);
                }
              });
      t.start();
      byte[] out = p.getInputStream().readAllBytes();
      int code = p.waitFor();
      return new ProcessResult(
          argv,
          code,
          new String(out, StandardCharsets.UTF_8),
          new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
