package dev.nss.container;

import dev.nss.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Whether the engine recorded an out-of-memory kill of a run's container. Once {@code start
 * --attach} returns the container is gone (docker's {@code --rm}) or about to be removed by the
 * goal (podman), and {@code inspect}'s {@code State.OOMKilled} with it; docker's event log still
 * holds its {@code oom} event. Podman 4.3 records none (no {@code oom} event, and {@code
 * State.OOMKilled} stays false even without {@code --rm}): there a 137 stays a SIGKILL.
 */
final class OomKills {

  /** Exit code 137: SIGKILL, which the out-of-memory killer sends. */
  static final int KILLED = 128 + 9;

  private static final long GUARD_SECONDS = 10;

  private OomKills() {}

  /**
   * @param since when the container was created
   * @return true when {@code exitCode} is 137 and the engine logged an {@code oom} event of {@code
   *     container} since then; false otherwise, or when the engine cannot say
   */
  static boolean recorded(
      Function<List<String>, ProcessBuilder> processes,
      String cli,
      String container,
      int exitCode,
      Instant since) {
    if (exitCode != KILLED) {
      return false;
    }
    try {
      Process p =
          processes
              .apply(query(cli, container, since, Instant.now()))
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0 && out.lines().anyMatch(line -> line.strip().equals("oom"));
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The engine's past {@code oom} events of {@code container} between the two instants. Podman's
   * file event log drops past events when {@code --until} is given (podman 4.3: nothing at all,
   * even for an {@code --until} of now), so podman reads up to now with {@code --stream=false}
   * instead.
   */
  static List<String> query(String cli, String container, Instant since, Instant until) {
    boolean podman = Engine.isPodman(cli);
    List<String> argv = new java.util.ArrayList<>(List.of(cli, "events", "--since"));
    argv.add(seconds(since.minusSeconds(1)));
    argv.addAll(podman ? List.of("--stream=false") : List.of("--until", seconds(until)));
    argv.addAll(
        List.of(
            "--filter",
            "container=" + container,
            "--filter",
            "event=oom",
            "--format",
            podman ? "{{.Status}}" : "{{.Action}}"));
    return List.copyOf(argv);
  }

  private static String seconds(Instant t) {
    return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
  }
}
