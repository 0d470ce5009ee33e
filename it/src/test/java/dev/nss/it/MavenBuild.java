package dev.nss.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One real Maven build of a sample project as a plain process ({@code bin/mvn} of the pinned Maven
 * execs the JVM, so the PID is Maven's): JDK 25, offline, batch mode, a UTF-8 locale, with the
 * plugin of this reactor in {@code target/it-repo} and the user's repository as a read-only tail. A
 * plain process can be signalled and can run in a session of its own, as a terminal's foreground
 * job does. Its output is kept in {@code target/<goals>-<n>.out.log} and {@code .err.log} of the
 * project.
 */
public final class MavenBuild {

  private static final AtomicInteger SERIAL = new AtomicInteger();

  private final Path basedir;
  private final List<String> goals;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private Path settings;
  private boolean debug;
  private boolean ownSession;

  public MavenBuild(Path basedir, String... goals) {
    this.basedir = basedir;
    this.goals = List.of(goals);
  }

  public MavenBuild property(String name, String value) {
    properties.put(name, value);
    return this;
  }

  public MavenBuild env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** {@code -s FILE}: the user settings (e.g. a registry {@code <server>}). */
  public MavenBuild settings(Path file) {
    this.settings = file;
    return this;
  }

  /** {@code -X}. */
  public MavenBuild debug() {
    this.debug = true;
    return this;
  }

  /**
   * Runs Maven through setsid: it leads its own process group, so {@code kill -INT -PGID} is a
   * terminal's Ctrl-C.
   */
  public MavenBuild ownSession() {
    this.ownSession = true;
    return this;
  }

  public List<String> argv() {
    List<String> argv = new ArrayList<>();
    if (ownSession) {
      // SIGINT at its default, as under a terminal: a shell's background job (`mvn verify &`)
      // ignores it, and Maven would inherit that.
      argv.addAll(List.of("setsid", "env", "--default-signal=INT"));
    }
    argv.add(Path.of(ItEnv.mavenHome()).resolve("bin/mvn").toString());
    argv.addAll(
        List.of(
            "-B",
            "-o",
            "-ntp",
            "-Dmaven.repo.local=" + ItEnv.repo(),
            "-Dmaven.repo.local.tail=" + ItEnv.userRepo()));
    if (debug) {
      argv.add("-X");
    }
    if (settings != null) {
      argv.addAll(List.of("-s", settings.toString()));
    }
    properties.forEach((k, v) -> argv.add("-D" + k + "=" + v));
    argv.addAll(goals);
    return argv;
  }

  public Running start() {
    Path target = basedir.resolve("target");
    String stem =
        String.join("_", goals).replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + SERIAL.incrementAndGet();
    Path out = target.resolve(stem + ".out.log");
    Path err = target.resolve(stem + ".err.log");
    try {
      Files.createDirectories(target);
      ProcessBuilder pb =
          new ProcessBuilder(argv())
              .directory(basedir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE);
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      // A UTF-8 locale, as a user's terminal has: the JVM encodes process arguments in the locale's
      // charset.
      pb.environment().put("LANG", "C.UTF-8");
      pb.environment().putAll(environment);
      Process process = pb.start();
      process.getOutputStream().close();
      return new Running(process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs to the end (a 15-minute hang guard). */
  public BuildLog run() {
    return start().await(900);
  }

  /** A started Maven. */
  public record Running(Process process, Path outLog, Path errLog) {

    public long pid() {
      return process.pid();
    }

    public String out() {
      return read(outLog);
    }

    /**
     * Polls the stdout log until {@code ready} holds; fails if Maven ends first or the guard
     * passes.
     */
    public String awaitOutput(Predicate<String> ready, int guardSeconds) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(guardSeconds);
      while (System.nanoTime() < end) {
        String text = out();
        if (ready.test(text)) {
          return text;
        }
        if (!process.isAlive()) {
          throw new AssertionError(
              "Maven ended before the awaited output:\n" + text + read(errLog));
        }
        sleep(100);
      }
      throw new AssertionError(
          "the awaited output did not come within " + guardSeconds + " s:\n" + out());
    }

    /**
     * Sends a signal to Maven's JVM, or with {@code group} to its whole process group (Ctrl-C in a
     * terminal).
     */
    public void signal(String signal, boolean group) {
      String target = group ? "-" + pid() : Long.toString(pid());
      try {
        Process kill =
            new ProcessBuilder("kill", "-" + signal, "--", target)
                .redirectErrorStream(true)
                .start();
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
          throw new AssertionError("kill -" + signal + " -- " + target + " failed: " + output);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Waits for the end; a hang guard kills Maven and fails. Records how long the wait took. */
    public BuildLog await(int guardSeconds) {
      long start = System.nanoTime();
      try {
        if (!process.waitFor(guardSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(
              "Maven still ran after " + guardSeconds + " s (hang guard):\n" + out());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      return new BuildLog(process.exitValue(), out(), read(errLog), millis);
    }

    private static String read(Path file) {
      try {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
