package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockedCacheMountsTest {

  @Test
  void aLockedIdMountedByTwoRunStepsIsReported() {
    String dockerfile =
        """
        FROM a AS deps
        # RUN --mount=type=cache,id=commented,sharing=locked true
        RUN --mount=type=cache,id=apt-${TARGETARCH},target=/var/cache/apt,sharing=locked \\
            --mount=type=cache,id=lists,target=/var/lib/apt/lists,sharing=shared \\
            apt-get update
        RUN --mount=type=cache,id=uv,target=/root/.cache/uv,sharing=shared uv sync
        FROM a AS runtime
        RUN --mount=type=cache,id=apt-${TARGETARCH},target=/var/cache/apt,sharing=locked \\
            --mount=type=cache,id=lists,target=/var/lib/apt/lists,sharing=shared apt-get update
        RUN --mount=type=cache,id=uv,target=/root/.cache/uv,sharing=shared uv sync
        RUN --mount=type=cache,target=/once,sharing=locked true
        """;
    assertEquals(List.of("apt-${TARGETARCH}"), LockedCacheMounts.reusedLockedIds(dockerfile));
  }

  @Test
  void withoutAnIdTheTargetIsTheId() {
    String dockerfile =
        """
        FROM a
        RUN --mount=type=cache,target=/c,sharing=locked true
        run --mount=type=cache,target=/c true
        """;
    assertEquals(List.of("/c"), LockedCacheMounts.reusedLockedIds(dockerfile));
  }

  /**
   * The bundled Dockerfiles keep each locked cache id to one RUN step, the pattern buildah 1.28
   * builds.
   */
  @Test
  void theBundledDockerfilesReuseNoLockedCacheId() throws IOException {
    for (String name : List.of("Dockerfile.cuda", "Dockerfile.test_ci")) {
      try (InputStream in = getClass().getResourceAsStream("/dev/nss/containers/" + name)) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(List.of(), LockedCacheMounts.reusedLockedIds(text), name);
      }
    }
  }

  @Test
  void aLastInstructionLeftOpenByABackslashCounts() {
    String dockerfile =
        "RUN --mount=type=cache,id=x,target=/x,sharing=locked,ro true\n"
            + "RUN --mount=type=cache,id=x,target=/x,sharing=locked \\";
    assertEquals(List.of("x"), LockedCacheMounts.reusedLockedIds(dockerfile));
  }
}
