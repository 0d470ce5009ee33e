package dev.nss.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.shared.invoker.DefaultInvocationRequest;
import org.apache.maven.shared.invoker.DefaultInvoker;
import org.apache.maven.shared.invoker.InvocationRequest;
import org.apache.maven.shared.invoker.InvocationResult;
import org.apache.maven.shared.invoker.MavenInvocationException;

/**
 * One real Maven build of a sample project through the maven-invoker library: the pinned Maven of this build, JDK 25,
 * offline, with the plugin of this reactor in {@code target/it-repo} and the user's repository as a read-only tail.
 */
final class MavenBuild {

  private final Path basedir;
  private final List<String> goals = new ArrayList<>();
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private boolean debug;
  private Path settings;

  MavenBuild(Path basedir, String... goals) {
    this.basedir = basedir;
    this.goals.addAll(List.of(goals));
  }

  MavenBuild property(String name, String value) {
    properties.put(name, value);
    return this;
  }

  MavenBuild env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** {@code -s FILE}: the user settings (e.g. a registry {@code <server>}). */
  MavenBuild settings(Path file) {
    this.settings = file;
    return this;
  }

  /** {@code -X}. */
  MavenBuild debug() {
    this.debug = true;
    return this;
  }

  /** Runs the build; its output is also kept in {@code target/<goal>-<n>.log} of the project for debugging. */
  BuildLog run() {
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    InvocationRequest request = new DefaultInvocationRequest()
        .setBaseDirectory(basedir.toFile())
        .setGoals(goals)
        .setBatchMode(true)
        .setOffline(true)
        .setDebug(debug)
        .setNoTransferProgress(true)
        .setJavaHome(new File(System.getProperty("java.home")))
        .setLocalRepositoryDirectory(new File(ItEnv.repo()))
        .setOutputHandler(line -> out.append(line).append('\n'))
        .setErrorHandler(line -> err.append(line).append('\n'));
    request.setTimeoutInSeconds(900);
    if (settings != null) {
      request.setUserSettingsFile(settings.toFile());
    }
    Properties props = new Properties();
    props.setProperty("maven.repo.local.tail", ItEnv.userRepo());
    props.putAll(properties);
    request.setProperties(props);
    // A UTF-8 locale, as a user's terminal has: the JVM encodes process arguments in the locale's charset.
    request.addShellEnvironment("LANG", "C.UTF-8");
    environment.forEach(request::addShellEnvironment);
    DefaultInvoker invoker = new DefaultInvoker();
    invoker.setMavenHome(new File(ItEnv.mavenHome()));
    InvocationResult result;
    try {
      result = invoker.execute(request);
    } catch (MavenInvocationException e) {
      throw new IllegalStateException("could not start Maven in " + basedir, e);
    }
    if (result.getExecutionException() != null) {
      throw new IllegalStateException("Maven did not run in " + basedir, result.getExecutionException());
    }
    BuildLog log = new BuildLog(result.getExitCode(), out.toString(), err.toString());
    keep(log);
    return log;
  }

  private void keep(BuildLog log) {
    try {
      Path dir = Files.createDirectories(basedir.resolve("target"));
      String name = String.join("_", goals).replaceAll("[^A-Za-z0-9_.-]", "-");
      int n = 1;
      while (Files.exists(dir.resolve(name + "-" + n + ".log"))) {
        n++;
      }
      Files.writeString(dir.resolve(name + "-" + n + ".log"), "exit code " + log.exitCode() + "\n--- stdout\n"
          + log.stdout() + "--- stderr\n" + log.stderr(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
