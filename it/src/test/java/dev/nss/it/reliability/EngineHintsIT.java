package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9, item 4: in the real runtime image, the agent's fixes name the engine it runs under —
 * docker finds {@code /.dockerenv}, podman writes {@code /run/.containerenv} — with that engine's
 * GPU flag: {@code --gpus all} for docker, the CDI device for podman (whose version 4 ignores
 * {@code --gpus}). No GPU here, so the gpu check always speaks. The image is copied into podman's
 * own store for the podman row and removed from it afterwards.
 */
class EngineHintsIT {

  static List<String> engines() {
    return TinyImage.engines();
  }

  @ParameterizedTest
  @MethodSource("engines")
  void theFixesNameTheEngineTheAgentRunsUnder(String cli) throws Exception {
    String image = RelImage.runtime();
    boolean podman = TinyImage.shortName(cli).equals(TinyImage.PODMAN);
    if (podman) {
      loadIntoPodman(image);
    }
    try {
      Rel.Result r =
          Rel.exec(List.of(cli, "run", "--rm", "--shm-size=1g", image, "generate"), Map.of());
      assertEquals(0, r.exitCode(), r::describe);
      String err = r.err();
      if (podman) {
        assertTrue(
            err.contains(
                "WARNING: nvidia-smi is not on PATH: the container was started without GPUs (podman"
                    + " before 5 ignores --gpus). Fix: podman run --device nvidia.com/gpu=all ..."),
            r::describe);
        assertTrue(err.contains("nvidia-ctk cdi generate"), r::describe);
        assertTrue(err.contains("podman run -e HF_TOKEN"), r::describe);
        assertFalse(err.contains("docker run"), r::describe);
      } else {
        assertTrue(
            err.contains(
                "WARNING: nvidia-smi is not on PATH: the container was started without GPUs. Fix:"
                    + " docker run --gpus all ..."),
            r::describe);
        assertTrue(err.contains("docker run -e HF_TOKEN"), r::describe);
        assertFalse(err.contains("podman"), r::describe);
      }
    } finally {
      if (podman) {
        Rel.exec(List.of(cli, "image", "rm", "-f", image), Map.of());
      }
    }
    Timings.note("engine hints: " + TinyImage.shortName(cli) + " named in the agent's fixes");
  }

  /** docker save | podman load: podman has its own image store. */
  private static void loadIntoPodman(String image) throws Exception {
    Process save =
        new ProcessBuilder(Rel.DOCKER, "save", image)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Process load = new ProcessBuilder(TinyImage.PODMAN, "load").redirectErrorStream(true).start();
    try (InputStream in = save.getInputStream();
        OutputStream out = load.getOutputStream()) {
      in.transferTo(out);
    }
    String said =
        new String(load.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, save.waitFor(), "docker save " + image);
    assertEquals(0, load.waitFor(), "podman load: " + said);
  }
}
