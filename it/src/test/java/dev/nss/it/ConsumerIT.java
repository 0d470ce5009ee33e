package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin used from a project of one's own, as the README's "Use it in your own project" says:
 * its deploy command publishes the parent pom, the agent and the plugin (with sources and javadoc
 * jars) to a file repository standing in for a team repository; a copy of the quickstart's pom (the
 * template), with that repository in settings.xml, resolves the plugin from there into an empty
 * local repository and runs {@code nss:doctor} and a dry run of {@code nss:build-gpu} under JDK 17
 * (the oldest the plugin supports); with {@code <pluginGroup>dev.nss</pluginGroup>}, {@code
 * nss:doctor} runs without a project. The deploy and the consumer resolve from Maven Central what
 * the local repositories lack (the consumer: the plugin's third-party dependencies), as a user's
 * builds do.
 */
class ConsumerIT {

  /** The JDK the consumer's Maven runs on: {@code nss.it.consumerJavaHome} (it/pom.xml: JDK 17). */
  private static final Path CONSUMER_JAVA_HOME =
      Path.of(System.getProperty("nss.it.consumerJavaHome"));

  @Test
  void aProjectOfYourOwnUsesThePluginFromATeamRepository() throws IOException {
    Path work = ItEnv.work().resolve(Fixtures.RUN_ID).resolve("consumer");
    Path teamRepo = work.resolve("team-repo");
    String version = ItEnv.version();

    // The README's deploy command, on a copy of this checkout's sources (the reactor's own target/
    // folders stay untouched), with its own local repository in front of the user's.
    Path checkout = copyCheckout(work.resolve("checkout"));
    String deploy =
        maven(
            checkout,
            Path.of(System.getProperty("java.home")),
            "deploy",
            "-Dmaven.repo.local=" + work.resolve("build-repo"),
            "-Dmaven.repo.local.tail=" + ItEnv.userRepo(),
            "-pl",
            "maven-plugin",
            "-am",
            "deploy",
            "-DaltDeploymentRepository=team::" + teamRepo.toUri(),
            "-Dmaven.test.skip=true",
            "-Dspotless.check.skip=true");
    for (String artifact : List.of("nss-maven-plugin", "nss-entrypoint")) {
      Path dir = teamRepo.resolve("dev/nss/" + artifact + "/" + version);
      for (String suffix : List.of(".jar", ".pom", "-sources.jar", "-javadoc.jar")) {
        assertEquals(
            1, count(dir, artifact + "-", suffix), dir + ": one " + suffix + "\n" + deploy);
      }
    }
    assertEquals(1, count(teamRepo.resolve("dev/nss/nss-parent/" + version), "nss-parent", ".pom"));
    assertTrue(
        Files.readString(teamRepo.resolve("dev/nss/maven-metadata.xml")).contains("<prefix>nss"),
        "the group's metadata maps the nss prefix");

    // The consumer: the quickstart's pom and project files as they are; settings.xml names the team
    // repository and the plugin group, as a team's settings would.
    Path consumer = work.resolve("consumer");
    Path quickstart = ItEnv.root().resolve("examples/quickstart");
    for (String name : List.of("pom.xml", "pyproject.toml", "uv.lock", "src", "data")) {
      copyTree(quickstart.resolve(name), consumer.resolve(name));
    }
    Path settings = work.resolve("settings.xml");
    Files.writeString(settings, settings(teamRepo));
    Path emptyRepo = work.resolve("consumer-repo");
    Files.createDirectories(emptyRepo);
    List<String> common =
        List.of(
            "-s",
            settings.toString(),
            "-Dmaven.repo.local=" + emptyRepo,
            "-Dnss.version=" + version);

    String doctor =
        maven(
            consumer,
            CONSUMER_JAVA_HOME,
            "doctor",
            concat(
                common,
                "-V",
                "nss:doctor",
                "-Dnss.doctor.failOn=never",
                "-Dnss.doctor.timeout=10"));
    assertTrue(
        doctor.contains("Java version: 17"), "the consumer's Maven runs on JDK 17\n" + doctor);
    assertTrue(
        doctor
            .lines()
            .anyMatch(l -> l.contains("Downloaded from team: ") && l.contains("nss-maven-plugin-")),
        "the plugin came from the team repository\n" + doctor);
    assertTrue(Files.isRegularFile(consumer.resolve("target/nss-doctor.json")), doctor);
    assertTrue(
        Files.isRegularFile(
            emptyRepo.resolve(
                "dev/nss/nss-maven-plugin/" + version + "/nss-maven-plugin-" + version + ".jar")),
        doctor);

    String dryRun =
        maven(
            consumer,
            CONSUMER_JAVA_HOME,
            "build-gpu",
            concat(common, "nss:build-gpu", "-Dnss.dryRun=true"));
    assertTrue(
        dryRun.contains("[dry-run] ")
            && dryRun.contains(
                "build --platform linux/amd64 --tag nss-quickstart:latest --target runtime"),
        dryRun);
    assertTrue(dryRun.contains("BUILD SUCCESS"), dryRun);

    // No project: the plugin group in settings.xml resolves the prefix.
    Path elsewhere = work.resolve("no-project");
    Files.createDirectories(elsewhere);
    String noProject =
        maven(
            elsewhere,
            CONSUMER_JAVA_HOME,
            "no-project",
            concat(
                common,
                "nss:doctor",
                "-Dnss.doctor.checks=memory",
                "-Dnss.doctor.failOn=never",
                "-Dnss.doctor.report=" + elsewhere.resolve("nss-doctor.json")));
    assertTrue(noProject.contains("memory"), noProject);
    assertTrue(Files.isRegularFile(elsewhere.resolve("nss-doctor.json")), noProject);
  }

  /** A team's settings: its repository for plugins (and their dependencies) and the nss prefix. */
  private static String settings(Path teamRepo) {
    String url = teamRepo.toUri().toString();
    return """
        <settings>
          <pluginGroups>
            <pluginGroup>dev.nss</pluginGroup>
          </pluginGroups>
          <profiles>
            <profile>
              <id>team</id>
              <repositories>
                <repository>
                  <id>team</id>
                  <url>URL</url>
                </repository>
              </repositories>
              <pluginRepositories>
                <pluginRepository>
                  <id>team</id>
                  <url>URL</url>
                </pluginRepository>
              </pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles>
            <activeProfile>team</activeProfile>
          </activeProfiles>
        </settings>
        """
        .replace("URL", url);
  }

  /**
   * Runs the Maven of this build ({@code bin/mvn}) in {@code dir} on {@code javaHome}, batch mode,
   * online; fails unless it exits 0. Returns its output, also kept in {@code <dir>/../<name>.log}.
   */
  private static String maven(Path dir, Path javaHome, String name, String... args) {
    return maven(dir, javaHome, name, List.of(args));
  }

  private static String maven(Path dir, Path javaHome, String name, List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(ItEnv.mavenHome()).resolve("bin/mvn").toString());
    argv.add("-B");
    argv.addAll(args);
    Path log = dir.getParent().resolve(name + ".log");
    try {
      Files.createDirectories(dir);
      ProcessBuilder pb =
          new ProcessBuilder(argv)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE);
      pb.environment().put("JAVA_HOME", javaHome.toString());
      pb.environment().put("LANG", "C.UTF-8");
      pb.environment().remove("MAVEN_OPTS");
      pb.environment().remove("MAVEN_ARGS");
      Process process = pb.start();
      process.getOutputStream().close();
      if (!process.waitFor(600, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(name + ": Maven still ran after 600 s:\n" + Files.readString(log));
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), () -> name + ": " + argv + "\n" + output);
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> concat(List<String> first, String... more) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return all;
  }

  private static long count(Path dir, String prefix, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && n.endsWith(suffix))
          .filter(n -> !n.endsWith("-sources.jar") || suffix.equals("-sources.jar"))
          .filter(n -> !n.endsWith("-javadoc.jar") || suffix.equals("-javadoc.jar"))
          .count();
    }
  }

  /** What the deploy reads: the poms, the two modules' sources, containers/ and test-data/. */
  private static Path copyCheckout(Path to) {
    Path root = ItEnv.root();
    for (String name :
        List.of(
            "pom.xml",
            "LICENSE",
            "containers",
            "test-data",
            "entrypoint-agent",
            "maven-plugin",
            "it/pom.xml")) {
      copyTree(root.resolve(name), to.resolve(name));
    }
    return to;
  }

  /** Copies a file or a tree, leaving out build outputs ({@code target/}, {@code .nss-build/}). */
  private static void copyTree(Path from, Path to) {
    try {
      if (Files.isRegularFile(from)) {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        return;
      }
      Files.walkFileTree(
          from,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              String name = dir.getFileName().toString();
              if (!dir.equals(from) && (name.equals("target") || name.equals(".nss-build"))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              Files.createDirectories(to.resolve(from.relativize(dir).toString()));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.copy(
                  file,
                  to.resolve(from.relativize(file).toString()),
                  StandardCopyOption.REPLACE_EXISTING);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
