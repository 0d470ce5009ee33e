package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build-gpu's core against the real engine through /usr/bin/docker (BuildKit), on a busybox base
 * made with {@code docker import}. Skipped when the engine is unreachable, unless
 * NSS_REQUIRE_ENGINE=1 (CI).
 */
class RealEngineBuildTest {

  private static final String DOCKER = "/usr/bin/docker";

  @TempDir Path tmp;
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String base = "nss-goals-test.local/busybox:" + suffix;
  private final String image = "nss-goals-test.local/gpu:" + suffix;

  private static byte[] docker(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(DOCKER));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out = p.getInputStream().readAllBytes();
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IOException(String.join(" ", argv) + " exited " + rc);
    }
    return out;
  }

  private static boolean engineReachable() {
    try {
      Process p =
          new ProcessBuilder(DOCKER, "version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @AfterEach
  void removeImages() throws Exception {
    if (engineReachable()) {
      new ProcessBuilder(DOCKER, "rmi", "-f", image, base)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }
  }

  @Test
  void buildGpuBuildsWithBuildKitStagesTheAgentAndLabelsTheImage() throws Exception {
    if (!engineReachable()) {
      if ("1".equals(System.getenv("NSS_REQUIRE_ENGINE"))) {
        fail("NSS_REQUIRE_ENGINE=1 but " + DOCKER + " cannot reach the engine");
      }
      Assumptions.abort("no reachable engine via " + DOCKER);
    }
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs/bin"));
    Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
    for (String applet : List.of("sh", "cat", "echo")) {
      Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
    }
    Path tar = tmp.resolve("rootfs.tar");
    Process tarring =
        new ProcessBuilder(
                "tar", "-C", tmp.resolve("rootfs").toString(), "-cf", tar.toString(), ".")
            .inheritIO()
            .start();
    assertEquals(0, tarring.waitFor());
    docker("import", tar.toString(), base);

    Fixture f = new Fixture(tmp);
    byte[] agent = ("agent-" + suffix).getBytes(StandardCharsets.UTF_8);
    Files.write(f.agentJar, agent);
    Files.writeString(
        f.project.resolve("containers/Dockerfile.cuda"),
        String.join(
            "\n",
            "ARG BASE",
            "FROM ${BASE} AS runtime",
            "COPY .nss-build/entrypoint/nss-entrypoint.jar /opt/nss-entrypoint.jar",
            "ARG MARK=unset",
            "RUN --mount=type=tmpfs,target=/scratch echo \"$MARK\" > /mark",
            ""));
    Map<String, String> args = new LinkedHashMap<>();
    args.put("BASE", base);
    args.put("MARK", "mark-" + suffix);
    GoalSettings settings =
        new GoalSettings(f.project)
            .cli(DOCKER)
            .image(image)
            .buildArgs(args)
            .projectVersion("7.7.7")
            .outputTimestamp("2026-11-25T00:00:00Z");
    List<String> log = new ArrayList<>();
    ContainerCli cli =
        new ContainerCli(ProcessBuilder::new, f.project, log::add, false, System.err, null);

    new GoalDriver(cli, log::add, f.agentJar).buildGpu(settings, false);

    assertTrue(
        log.stream()
            .anyMatch(l -> l.startsWith(DOCKER + " build --platform linux/amd64 --tag " + image)),
        "command echoed:\n" + log);
    String copyStep = "#\\d+ \\[.*\\] COPY \\.nss-build/entrypoint/nss-entrypoint\\.jar .*";
    assertTrue(log.stream().anyMatch(l -> l.matches(copyStep)), "BuildKit plain progress:\n" + log);
    assertArrayEquals(
        agent,
        docker("run", "--rm", image, "cat", "/opt/nss-entrypoint.jar"),
        "staged agent in image");
    assertEquals(
        "mark-" + suffix + "\n",
        new String(docker("run", "--rm", image, "cat", "/mark"), StandardCharsets.UTF_8),
        "build args passed");
    String labels =
        new String(
            docker("image", "inspect", "--format", "{{json .Config.Labels}}", image),
            StandardCharsets.UTF_8);
    assertTrue(labels.contains("\"org.opencontainers.image.version\":\"7.7.7\""), labels);
    assertTrue(
        labels.contains("\"org.opencontainers.image.created\":\"2026-11-25T00:00:00Z\""), labels);
    assertFalse(Files.exists(f.project.resolve(".nss-build")), "staging cleaned up");
  }
}
