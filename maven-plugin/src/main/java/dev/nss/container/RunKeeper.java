package dev.nss.container;

import dev.nss.core.PropertyNames;
import dev.nss.core.ShellWords;
import dev.nss.core.Streams;
import dev.nss.engine.Engine;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The keeper of one container: a small JVM that the run goals start, in a session of its own, for
 * each run. It runs {@code CONTAINER create}, tells Maven the id, then waits on its stdin, which is
 * a pipe from Maven: the line {@code done} means Maven has dealt with the container; the end of the
 * pipe without it means Maven is gone (killed, even with SIGKILL, since the kernel closes the
 * pipe), and the keeper then removes the container by its id.
 *
 * <p>Why a process of its own: a terminal's Ctrl-C (and a CI's group SIGTERM) signals every process
 * of Maven's group. A {@code create} killed with its request in flight may still be carried out by
 * the engine later, and nobody would know the id. The keeper and its {@code create} are outside
 * that group ({@code setsid}), so the create always finishes and reports its id, and whoever
 * removes the container removes exactly that id, whenever the signal came. It is Java so that it
 * needs nothing but the JVM that runs Maven; it waits on a pipe, not on a timer.
 *
 * <p>Protocol, one line each way: keeper to Maven {@code created ID}, {@code failed EXIT_CODE} (the
 * create's stderr passes through the keeper's) or {@code timed-out SECONDS}; Maven to keeper {@code
 * done}, or nothing (EOF). A create that has not answered within {@code nss.engineTimeout} (the
 * system property of the keeper's JVM) is ended; the engine may still carry out its request, so the
 * keeper then removes the container by its name.
 *
 * <p>Usage: {@code RunKeeper CLI CREATE_ARGV...}; {@code CLI rm -f ID} removes (podman with {@code
 * --time 0}).
 */
public final class RunKeeper {

  static final String CREATED = "created ";
  static final String FAILED = "failed ";
  static final String TIMED_OUT = "timed-out ";
  static final String DONE = "done";

  private RunKeeper() {}

  public static void main(String[] args) throws InterruptedException {
    ignoreTerminalSignals();
    Duration limit =
        Duration.ofSeconds(
            Long.parseLong(
                System.getProperty(
                    PropertyNames.ENGINE_TIMEOUT, PropertyNames.ENGINE_TIMEOUT_DEFAULT)));
    keep(List.of(args), limit, System.in, System.out, System.err);
  }

  /**
   * {@link #keep(List, Duration, InputStream, OutputStream, PrintStream)} with the default limit.
   */
  static void keep(List<String> args, InputStream fromMaven, OutputStream toMaven, PrintStream err)
      throws InterruptedException {
    Duration limit = Duration.ofSeconds(Long.parseLong(PropertyNames.ENGINE_TIMEOUT_DEFAULT));
    keep(args, limit, fromMaven, toMaven, err);
  }

  /**
   * The keeper's work, with Maven's pipes as streams.
   *
   * @param args the CLI, then the create argv
   * @param limit how long the create may take
   */
  static void keep(
      List<String> args,
      Duration limit,
      InputStream fromMaven,
      OutputStream toMaven,
      PrintStream err)
      throws InterruptedException {
    String cli = args.get(0);
    List<String> create = args.subList(1, args.size());
    PrintStream report = new PrintStream(toMaven, true, StandardCharsets.UTF_8);
    String id;
    try {
      id = create(create, limit, err);
    } catch (CreateFailed e) {
      report.println(FAILED + e.exitCode);
      return;
    } catch (CreateTimedOut e) {
      report.println(TIMED_OUT + limit.toSeconds());
      int name = create.indexOf("--name");
      if (name > 0 && name + 1 < create.size()) {
        remove(cli, create.get(name + 1), err);
      }
      return;
    }
    report.println(CREATED + id);
    if (!report.checkError() && DONE.equals(readLine(fromMaven))) {
      return;
    }
    remove(cli, id, err);
  }

  /** Runs the create, passing its stderr on; returns the id it printed. */
  private static String create(List<String> argv, Duration limit, PrintStream err)
      throws CreateFailed, CreateTimedOut, InterruptedException {
    Process process;
    try {
      process =
          new ProcessBuilder(argv)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
    } catch (IOException e) {
      err.println(
          "Could not start the container CLI `" + argv.get(0) + "` (" + e.getMessage() + ")");
      throw new CreateFailed(-1);
    }
    // A PrintStream never throws: the copy keeps draining when Maven is gone, so the create never
    // blocks on a full pipe.
    Thread errors =
        Streams.copyInBackground(
            process.getErrorStream(),
            (buffer, length) -> {
              err.write(buffer, 0, length);
              err.flush();
            },
            "nss-keeper-stderr");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread output =
        Streams.copyInBackground(
            process.getInputStream(),
            (buffer, length) -> {
              synchronized (out) {
                out.write(buffer, 0, length);
              }
            },
            "nss-keeper-stdout");
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new CreateTimedOut();
    }
    int exitCode = process.exitValue();
    output.join(TimeUnit.SECONDS.toMillis(5));
    errors.join(TimeUnit.SECONDS.toMillis(5));
    String printed;
    synchronized (out) {
      printed = out.toString(StandardCharsets.UTF_8);
    }
    List<String> lines = printed.lines().filter(l -> !l.isBlank()).toList();
    if (exitCode != 0 || lines.isEmpty()) {
      throw new CreateFailed(exitCode == 0 ? -1 : exitCode);
    }
    return lines.get(lines.size() - 1).strip();
  }

  private static void remove(String cli, String id, PrintStream err) throws InterruptedException {
    try {
      if (ContainerRemoval.untilGone(ProcessBuilder::new, Path.of("").toAbsolutePath(), cli, id)) {
        err.println("[nss] Maven is gone: removed container " + id);
        return;
      }
      err.println(
          "[nss] Maven is gone, and container "
              + id
              + " could not be removed: "
              + ShellWords.quote(Engine.forceRemove(cli, id)));
    } catch (IOException e) {
      err.println(
          "[nss] could not run " + cli + " to remove container " + id + ": " + e.getMessage());
    }
  }

  /** One line of the protocol (either side reads it); null at the end of the pipe. */
  static String readLine(InputStream in) {
    try {
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Where {@code setsid} is missing, the keeper still shares Maven's process group: it ignores the
   * terminal's SIGINT and SIGHUP, and its create inherits that (the Go CLIs keep an inherited
   * ignore for these two).
   */
  @SuppressWarnings("removal")
  private static void ignoreTerminalSignals() {
    for (String name : new String[] {"INT", "HUP"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sun.misc.SignalHandler.SIG_IGN);
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // Not available on this platform: setsid is the main protection.
      }
    }
  }

  /** The create failed; its stderr has been passed on. */
  private static final class CreateFailed extends Exception {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    CreateFailed(int exitCode) {
      super(null, null, false, false);
      this.exitCode = exitCode;
    }
  }

  /** The create did not answer within the limit; it was ended. */
  private static final class CreateTimedOut extends Exception {
    private static final long serialVersionUID = 1L;

    CreateTimedOut() {
      super(null, null, false, false);
    }
  }

  /**
   * The argv that starts a keeper for {@code create}: the running JVM's java, this class's code
   * source; the create may take {@code limit}.
   */
  static List<String> command(String cli, List<String> create, String setsid, Duration limit) {
    List<String> argv = new ArrayList<>();
    if (setsid != null) {
      argv.add(setsid);
    }
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-Xmx32m",
            "-D" + PropertyNames.ENGINE_TIMEOUT + "=" + limit.toSeconds(),
            "-cp",
            codeSource(),
            RunKeeper.class.getName(),
            cli));
    argv.addAll(create);
    return argv;
  }

  private static String codeSource() {
    try {
      return Path.of(RunKeeper.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot locate the nss plugin's classes for the run keeper", e);
    }
  }
}
