package dev.nss.container;

import dev.nss.core.ShutdownHooks;
import dev.nss.engine.PlatformSupport;
import dev.nss.engine.RunOwner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A project directory with containers/ Dockerfiles, an agent jar, a fake CLI and a captured log.
 */
final class Fixture {

  final Path project;
  final Path agentJar;
  final Path hfCache;
  final FakeProcesses processes = new FakeProcesses();
  final List<String> log = new ArrayList<>();
  final ByteArrayOutputStream stderrBytes = new ByteArrayOutputStream();
  boolean dryRun;

  /** An amd64 host with qemu-aarch64 registered. */
  PlatformSupport platforms;

  final Path binfmt;

  Fixture(Path tmp) throws IOException {
    project = Files.createDirectories(tmp.resolve("project"));
    Files.createDirectories(project.resolve("containers"));
    Files.writeString(project.resolve("containers/Dockerfile.cuda"), "FROM scratch\n");
    Files.writeString(project.resolve("containers/Dockerfile.test_ci"), "FROM scratch\n");
    agentJar = tmp.resolve("nss-entrypoint-0.1.0.jar");
    Files.write(agentJar, new byte[] {'P', 'K', 3, 4});
    hfCache = tmp.resolve("hf");
    binfmt = Files.createDirectories(tmp.resolve("binfmt_misc"));
    Files.writeString(binfmt.resolve("status"), "enabled\n");
    Files.writeString(
        binfmt.resolve("qemu-aarch64"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64\n");
    platforms = new PlatformSupport(binfmt, "amd64");
  }

  /** The clock of what the engines answered ({@link EngineAnswers}), in nanoseconds. */
  final AtomicLong nanos = new AtomicLong();

  final EngineAnswers answers = EngineAnswers.of(processes, nanos::get);

  /**
   * {@code clis}' engines answered a moment ago, as in a goal after another of the same Maven run:
   * no question before their builds, pushes and pulls (for tests about something else).
   */
  void answered(String... clis) {
    for (String cli : clis) {
      answers.answered(cli);
    }
  }

  GoalSettings settings() {
    return new GoalSettings(project)
        .cli("docker")
        .hfCache(hfCache.toString())
        .containerName("nss-run-test")
        .environment(Map.of());
  }

  ContainerCli cli() {
    return cli(ShutdownHooks.JVM);
  }

  /** The fake CLI, registering what must happen if Maven is stopped in {@code hooks}. */
  ContainerCli cli(ShutdownHooks hooks) {
    return new ContainerCli(
        processes,
        project,
        line -> {
          synchronized (log) {
            log.add(line);
          }
        },
        dryRun,
        new PrintStream(stderrBytes, true, StandardCharsets.UTF_8),
        null,
        hooks);
  }

  /** The labels' owner in every fake create. */
  static final RunOwner OWNER = new RunOwner(4242, 1700000000000L, "boot-1", "host-1");

  GoalDriver goals() {
    return new GoalDriver(cli(), log::add, agentJar, StandardCharsets.UTF_8, platforms, OWNER);
  }

  /** An expected argv. */
  static List<String> argv(String... words) {
    return java.util.Arrays.asList(words);
  }

  String stderr() {
    return stderrBytes.toString(StandardCharsets.UTF_8);
  }
}
