package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Ctrl-C during {@code nss:build-gpu} (SIGINT to Maven's whole process group, as a terminal sends
 * it) while a {@code RUN} step runs: Maven ends, and nothing is left: no staged {@code
 * .nss-build/}, no image, no process of the step, and on podman no buildah working container
 * ({@code podman ps --external}). The build's base is a tag of this run only, so that its working
 * container is told apart from those of other builds on the machine.
 */
class BuildAbortIT {

  @EngineTest
  void ctrlCDuringABuildLeavesNothing(Engine engine) throws IOException, InterruptedException {
    Fixtures fixtures = Fixtures.on(engine).standIns();
    String base = fixtures.image("nss-it/ctrl-c-base:" + engine + "-" + Fixtures.RUN_ID);
    ProcessResult tagged = engine.run("tag", "nss-it.local/cuda:12.8.1-runtime-ubuntu22.04", base);
    assertEquals(0, tagged.exitCode(), tagged::toString);
    SampleProject project = fixtures.withContainers("ctrl-c-build");
    String marker =
        "nss-ctrl-c-" + engine + "-" + Fixtures.RUN_ID + "-" + Long.toHexString(System.nanoTime());
    Files.writeString(
        project.dir().resolve("containers/Dockerfile.slow"),
        """
        FROM %s AS runtime
        COPY .nss-build/entrypoint/nss-entrypoint.jar /tmp/nss-entrypoint.jar
        RUN echo %s-started && sleep 300
        """
            .formatted(base, marker));
    String image = fixtures.gpuImage("ctrl-c");
    Path log = project.dir().resolve("target/build-gpu-ctrl-c.log");
    Files.createDirectories(log.getParent());
    // setsid: Maven leads its own process group, so that `kill -INT -PGID` is a terminal's Ctrl-C;
    // env: SIGINT at its default even when this JVM inherited it ignored (a background job).
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    "setsid",
                    "env",
                    "--default-signal=INT",
                    Path.of(ItEnv.mavenHome(), "bin", "mvn").toString(),
                    "-B",
                    "-o",
                    "-Dmaven.repo.local=" + ItEnv.repo(),
                    "-Dmaven.repo.local.tail=" + ItEnv.userRepo(),
                    "-Dnss.image=" + image,
                    "-Dnss.dockerfile=containers/Dockerfile.slow",
                    "nss:build-gpu"))
            .directory(project.dir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("LANG", "C.UTF-8");
    Process maven = pb.start();
    try {
      awaitStepRunning(maven, log, marker);
      ProcessResult kill =
          ProcessResult.of(List.of("kill", "-INT", "--", "-" + maven.pid()), Map.of());
      assertEquals(0, kill.exitCode(), kill::toString);
      assertTrue(
          maven.waitFor(120, TimeUnit.SECONDS), "Maven did not end after Ctrl-C:\n" + read(log));
      assertNotEquals(0, maven.exitValue(), read(log));
    } finally {
      maven.destroyForcibly();
    }
    assertFalse(
        Files.exists(project.dir().resolve(".nss-build")), ".nss-build is left:\n" + read(log));
    assertFalse(engine.imageExists(image), "the interrupted build tagged " + image);
    for (int i = 0;
        i < 300 && !stepProcesses(marker).isEmpty();
        i++) { // a guard: BuildKit cancels asynchronously
      Thread.sleep(100);
    }
    assertEquals(List.of(), stepProcesses(marker), "the RUN step's processes are left");
    String workingContainer =
        base.substring("nss-it/".length(), base.indexOf(':')) + "-working-container";
    assertEquals(
        List.of(),
        engine.buildContainers().stream().filter(c -> c.contains(" " + workingContainer)).toList(),
        "buildah working containers of the interrupted build are left:\n" + read(log));
  }

  /**
   * Waits until the RUN step prints its marker (its own output line, not the echoed instruction).
   */
  private static void awaitStepRunning(Process maven, Path log, String marker)
      throws InterruptedException {
    for (int i = 0; i < 3000; i++) { // a guard against hanging, not a timing assertion
      if (read(log)
          .lines()
          .anyMatch(l -> l.endsWith(marker + "-started") && !l.contains("echo "))) {
        return;
      }
      assertTrue(maven.isAlive(), () -> "Maven ended before the RUN step ran:\n" + read(log));
      Thread.sleep(100);
    }
    throw new AssertionError("the RUN step did not start:\n" + read(log));
  }

  /** Host processes whose command line carries the marker (the RUN step's shell). */
  private static List<String> stepProcesses(String marker) {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .map(
              p -> {
                try {
                  return new String(
                          Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                      .replace('\0', ' ');
                } catch (IOException e) {
                  return "";
                }
              })
          .filter(cmd -> cmd.contains(marker) && !cmd.contains("nss:build-gpu"))
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
