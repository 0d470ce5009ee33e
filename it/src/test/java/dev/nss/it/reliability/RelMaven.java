package dev.nss.it.reliability;

import dev.nss.it.ItEnv;
import dev.nss.it.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * One Maven build of a sample project as a plain process (bin/mvn execs the JVM, so the PID is Maven's): offline, batch
 * mode, this reactor's plugin from target/it-repo. A plain process, unlike the invoker library, can be signalled and
 * can run in a session of its own, as a terminal's foreground job does.
 */
final class RelMaven {

  private static final AtomicInteger SERIAL = new AtomicInteger();

  private final Path basedir;
  private final List<String> goals;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private Path settings;
  private boolean debug;
  private boolean ownSession;

  RelMaven(Path basedir, String... goals) {
    this.basedir = basedir;
    this.goals = List.of(goals);
  }

  RelMaven property(String name, String value) {
    properties.put(name, value);
    return this;
  }

  RelMaven env(String name, String value) {
    env.put(name, value);
    return this;
  }

  RelMaven settings(Path file) {
    this.settings = file;
    return this;
  }

  RelMaven debug() {
    this.debug = true;
    return this;
  }

  /** Runs Maven through setsid: it leads its own process group, so {@code kill -INT -PGID} is a terminal's Ctrl-C. */
  RelMaven ownSession() {
    this.ownSession = true;
    return this;
  }

  List<String> argv() {
    List<String> argv = new ArrayList<>();
    if (ownSession) {
      argv.add("setsid");
    }
    argv.add(Path.of(ItEnv.mavenHome()).resolve("bin/mvn").toString());
    argv.addAll(List.of("-B", "-o", "-ntp", "-Dmaven.repo.local=" + ItEnv.repo(),
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

  Running start() {
    Path target = basedir.resolve("target");
    int n = SERIAL.incrementAndGet();
    String stem = String.join("_", goals).replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + n;
    Path out = target.resolve(stem + ".out.log");
    Path err = target.resolve(stem + ".err.log");
    try {
      Files.createDirectories(target);
      ProcessBuilder pb = new ProcessBuilder(argv()).directory(basedir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      pb.environment().put("LANG", "C.UTF-8");
      pb.environment().putAll(env);
      Process process = pb.start();
      process.getOutputStream().close();
      return new Running(process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs to the end (a 10-minute hang guard). */
  Outcome run() {
    return start().await(600);
  }

  /** A started Maven. */
  record Running(Process process, Path outLog, Path errLog) {

    long pid() {
      return process.pid();
    }

    String out() {
      return Rel.read(outLog);
    }

    /** Polls the stdout log until {@code ready} holds; fails if Maven ends first or the guard passes. */
    String awaitOutput(Predicate<String> ready, int guardSeconds) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(guardSeconds);
      while (System.nanoTime() < end) {
        String text = out();
        if (ready.test(text)) {
          return text;
        }
        if (!process.isAlive()) {
          throw new AssertionError("Maven ended before the awaited output:\n" + text + Rel.read(errLog));
        }
        Rel.sleep(100);
      }
      throw new AssertionError("the awaited output did not come within " + guardSeconds + " s:\n" + out());
    }

    /** Sends a signal to Maven's JVM, or with {@code group} to its whole process group (Ctrl-C in a terminal). */
    void signal(String signal, boolean group) {
      String target = group ? "-" + pid() : Long.toString(pid());
      Rel.Result r = Rel.exec(List.of("kill", "-" + signal, "--", target), Map.of());
      if (r.exitCode() != 0) {
        throw new AssertionError("kill failed: " + r.describe());
      }
    }

    /** Waits for the end; a hang guard kills Maven and fails. Records how long the wait took. */
    Outcome await(int guardSeconds) {
      long start = System.nanoTime();
      try {
        if (!process.waitFor(guardSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("Maven still ran after " + guardSeconds + " s (hang guard):\n" + out());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      return new Outcome(process.exitValue(), out(), Rel.read(errLog), millis);
    }
  }

  /** What Maven printed: its log and the programs' stdout on {@code out}, the container's stderr on {@code err}. */
  record Outcome(int exitCode, String out, String err, long waitedMillis) {

    private static final String REPORT = "SAFE-SYNTHESIZER-REPORT ";

    boolean succeeded() {
      return exitCode == 0 && out.contains("BUILD SUCCESS");
    }

    String all() {
      return out + err;
    }

    String describe() {
      return "exit code " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** The sample program's report line, parsed. */
    Map<String, Object> report() {
      return out.lines().filter(l -> l.startsWith(REPORT)).findFirst()
          .map(l -> Json.object(l.substring(REPORT.length())))
          .orElseThrow(() -> new AssertionError("no report line on stdout:\n" + describe()));
    }

    /** The generated container name from the logged run command. */
    String containerName() {
      var m = java.util.regex.Pattern.compile("\\bcreate --rm --name (nss-run-[0-9a-f]+)").matcher(out);
      if (!m.find()) {
        throw new AssertionError("no --name in the log:\n" + describe());
      }
      return m.group(1);
    }

    List<String> stackTraceLines() {
      return all().lines().filter(l -> l.matches("\\s+at [\\w.$]+\\(.*\\)")).toList();
    }
  }
}
