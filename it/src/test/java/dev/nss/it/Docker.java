package dev.nss.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The engine's own client, for looking at what the builds made. Argv lists only. */
final class Docker {

  static final String CLI = "/usr/bin/docker";

  private Docker() {}

  /** Runs {@code docker args...} to completion; stdout and stderr are captured separately. */
  static ProcessResult run(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(CLI);
    argv.addAll(List.of(args));
    return ProcessResult.of(argv, Map.of("DOCKER_BUILDKIT", "1"));
  }

  static boolean imageExists(String ref) {
    return run("image", "inspect", "--format", "{{.Id}}", ref).exitCode() == 0;
  }

  static boolean containerExists(String name) {
    return run("container", "inspect", "--format", "{{.Id}}", name).exitCode() == 0;
  }

  /** {@code docker image inspect}, typed. */
  static ImageConfig inspect(String ref) {
    ProcessResult result = run("image", "inspect", ref);
    if (result.exitCode() != 0) {
      throw new AssertionError("docker image inspect " + ref + " failed: " + result.stderr());
    }
    List<?> images = (List<?>) Json.parse(result.stdout());
    return ImageConfig.from((Map<?, ?>) images.get(0));
  }

  /** Removes images this test run made; quiet when they are already gone. */
  static void removeImages(List<String> refs) {
    for (String ref : refs) {
      run("image", "rm", "--force", ref);
    }
  }

  /** A finished process: argv, exit code, stdout and stderr as UTF-8. */
  record ProcessResult(List<String> argv, int exitCode, String stdout, String stderr) {

    static ProcessResult of(List<String> argv, Map<String, String> env) {
      ProcessBuilder pb = new ProcessBuilder(argv);
      pb.environment().putAll(env);
      try {
        Process p = pb.start();
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<byte[]>();
        Thread t = new Thread(() -> {
          try {
            err.complete(p.getErrorStream().readAllBytes());
          } catch (IOException e) {
            err.completeExceptionally(e);
          }
        });
        t.start();
        byte[] out = p.getInputStream().readAllBytes();
        int code = p.waitFor();
        return new ProcessResult(argv, code, new String(out, StandardCharsets.UTF_8),
            new String(err.join(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
