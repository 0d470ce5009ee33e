package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: a Maven killed while {@code nss:run-gpu} runs leaves no container behind. Maven is
 * started as a plain process here (the invoker library waits for the end), and stopped with SIGTERM
 * once its container runs.
 */
class AbortIT {

  @Test
  void killedMavenLeavesNoContainerBehind() throws IOException, InterruptedException {
    Fixtures fixtures = Fixtures.on(Engine.DOCKER);
    assertTrue(fixtures.runtimeBuild().succeeded(), fixtures.runtimeBuild()::describe);
    SampleProject project = fixtures.withContainers("abort").property("nss.cmd", "--sleep=600");
    Path log = project.dir().resolve("target/run-gpu-killed.log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    Path.of(ItEnv.mavenHome(), "bin", "mvn").toString(),
                    "-B",
                    "-o",
                    "-Dmaven.repo.local=" + ItEnv.repo(),
                    "-Dmaven.repo.local.tail=" + ItEnv.userRepo(),
                    "-Dnss.image=" + Fixtures.RUNTIME_IMAGE,
                    "-Dnss.skipBuild=true",
                    "-Dnss.gpuFlag=",
                    "nss:run-gpu"))
            .directory(project.dir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process maven = pb.start();
    try {
      String name = awaitRunningContainer(maven, log);
      maven.destroy(); // SIGTERM to Maven's JVM (bin/mvn execs java) only, not to the docker client
      maven.waitFor();
      assertFalse(
          Engine.DOCKER.containerExists(name),
          "container " + name + " is left behind:\n" + read(log));
    } finally {
      maven.destroyForcibly();
    }
  }

  /** Waits for the program inside the container to report, then returns the container's name. */
  private static String awaitRunningContainer(Process maven, Path log)
      throws IOException, InterruptedException {
    Pattern namePattern = Pattern.compile("create (?:--rm )?--name (nss-run-[0-9a-f]+)");
    for (int i = 0; i < 1200; i++) { // a guard against hanging, not a timing assertion
      String text = read(log);
      Matcher m = namePattern.matcher(text);
      Optional<String> name = m.find() ? Optional.of(m.group(1)) : Optional.empty();
      if (name.isPresent() && text.contains("SAFE-SYNTHESIZER-REPORT")) {
        assertTrue(Engine.DOCKER.containerExists(name.get()), "the container runs:\n" + text);
        return name.get();
      }
      assertTrue(maven.isAlive(), () -> "Maven ended before its container ran:\n" + read(log));
      Thread.sleep(100);
    }
    throw new AssertionError("the container did not start:\n" + read(log));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
