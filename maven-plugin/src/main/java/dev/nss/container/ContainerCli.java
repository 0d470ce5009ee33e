package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.ShellWords;
import dev.nss.core.ShutdownHooks;
import dev.nss.core.Streams;
import dev.nss.engine.ContainerCliLocator;
import dev.nss.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs container CLI commands as argv lists, never through a shell. Every command is logged first
 * as one shell-quoted line; in dry-run mode that line (prefixed {@code [dry-run] }) is all that
 * happens.
 */
public final class ContainerCli {

  public static final String DRY_RUN_PREFIX = "[dry-run] ";
  private static final int TAIL_LIMIT = 16 * 1024;

  /**
   * A hang guard on the keeper's report: a create takes a second or two, many on a loaded machine.
   */
  private static final long KEEPER_SECONDS = 120;

  private final Function<List<String>, ProcessBuilder> processes;
  private final Path workDir;
  private final Consumer<String> log;
  private final boolean dryRun;
  private final PrintStream stderr;
  private final String dockerHost;
  private final ShutdownHooks hooks;

  /**
   * Variables added to every command's environment (a private registry login location), shown in
   * the echo.
   */
  private final Map<String, String> extraEnvironment;

  /**
   * @param processes makes the process for an argv; {@code ProcessBuilder::new} for real, a fake in
   *     tests
   * @param workDir the directory commands run in
   * @param log receives the command lines and the output of builds (the Maven log)
   * @param dryRun log the commands only
   * @param stderr where a run's stderr is passed on to (System.err for real)
   * @param dockerHost the DOCKER_HOST of Maven's environment, for the unreachable-engine message
   */
  public ContainerCli(
      Function<List<String>, ProcessBuilder> processes,
      Path workDir,
      Consumer<String> log,
      boolean dryRun,
      PrintStream stderr,
      String dockerHost) {
    this(processes, workDir, log, dryRun, stderr, dockerHost, ShutdownHooks.JVM, Map.of());
  }

  /** The same, with {@code hooks} in place of the JVM's shutdown hooks. */
  ContainerCli(
      Function<List<String>, ProcessBuilder> processes,
      Path workDir,
      Consumer<String> log,
      boolean dryRun,
      PrintStream stderr,
      String dockerHost,
      ShutdownHooks hooks) {
    this(processes, workDir, log, dryRun, stderr, dockerHost, hooks, Map.of());
  }

  private ContainerCli(
      Function<List<String>, ProcessBuilder> processes,
      Path workDir,
      Consumer<String> log,
      boolean dryRun,
      PrintStream stderr,
      String dockerHost,
      ShutdownHooks hooks,
      Map<String, String> extraEnvironment) {
    this.hooks = hooks;
    this.extraEnvironment = Map.copyOf(extraEnvironment);
    this.processes = processes;
    this.workDir = workDir;
    this.log = log;
    this.dryRun = dryRun;
    this.stderr = stderr;
    this.dockerHost = dockerHost;
  }

  public boolean dryRun() {
    return dryRun;
  }

  /** Where this CLI's commands register what must happen if Maven is stopped. */
  ShutdownHooks shutdownHooks() {
    return hooks;
  }

  /**
   * This CLI with {@code variables} added to the environment of its commands (and to their echo).
   */
  public ContainerCli withEnvironment(Map<String, String> variables) {
    Map<String, String> all = new java.util.LinkedHashMap<>(extraEnvironment);
    all.putAll(variables);
    return new ContainerCli(processes, workDir, log, dryRun, stderr, dockerHost, hooks, all);
  }

  /**
   * Runs a build-like command; its output (stdout and stderr merged) streams into the log line by
   * line. Returns the last few KiB of that output ("" in dry-run mode).
   */
  public String stream(List<String> argv) throws CommandFailedException {
    return stream(argv, null);
  }

  /**
   * {@link #stream(List)}, and if Maven is stopped meanwhile: stop the command ({@link BuildStop}),
   * then run {@code afterStop} (null: nothing), in Maven's shutdown hook. A podman build runs in a
   * session of its own ({@code setsid}, where it exists) so that the terminal's Ctrl-C reaches only
   * Maven, which stops it cleanly.
   */
  public String stream(List<String> argv, Runnable afterStop) throws CommandFailedException {
    if (announce(argv)) {
      return "";
    }
    ProcessBuilder pb = prepare(argv).redirectErrorStream(true);
    String setsid = setsid();
    if (isPodmanBuild(argv) && setsid != null) {
      List<String> command = new java.util.ArrayList<>(pb.command());
      command.add(0, setsid);
      pb.command(command);
    }
    Tail tail = new Tail();
    int exitCode =
        supervised(
            pb,
            argv,
            afterStop,
            process -> {
              try {
                logOutput(process, tail);
              } catch (IOException e) {
                log.accept("(output of " + argv.get(0) + " ended early: " + e.getMessage() + ")");
              }
              return waitFor(process, argv);
            });
    check(argv, null, exitCode, tail);
    return tail.toString();
  }

  /** The CLI's second word ({@code build}, {@code push}, ...), or "" when there is none. */
  private static String verb(List<String> argv) {
    return argv.size() > 1 ? argv.get(1) : "";
  }

  /** The CLI and its verb, for messages: {@code docker build}. */
  private static String command(List<String> argv) {
    return String.join(" ", argv.subList(0, Math.min(2, argv.size())));
  }

  private static boolean isPodmanBuild(List<String> argv) {
    return Engine.isPodman(argv.get(0)) && verb(argv).equals("build");
  }

  /**
   * Runs a query whose stdout is data (e.g. {@code image inspect}), logging only the command. Not
   * run in dry-run mode (then null).
   */
  public Output capture(List<String> argv) throws CommandFailedException {
    if (announce(argv)) {
      return null;
    }
    return collect(argv);
  }

  /**
   * Runs a read-only query (e.g. the engine's version) and returns its stdout, stripped; a failure
   * is explained like any other command's. It runs in dry-run mode too: what the goal would pass
   * can depend on the answer.
   */
  public String query(List<String> argv) throws CommandFailedException {
    log.accept(ShellWords.quote(argv));
    Output output = collect(argv);
    if (output.exitCode() != 0) {
      throw failure(output);
    }
    return output.stdout().strip();
  }

  private Output collect(List<String> argv) throws CommandFailedException {
    Process process = start(prepare(argv), argv);
    try {
      process.getOutputStream().close();
      java.util.concurrent.CompletableFuture<byte[]> err =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return process.getErrorStream().readAllBytes();
                } catch (IOException e) {
                  return new byte[0];
                }
              });
      String out = new String(process.getInputStream().readAllBytes(), Charset.defaultCharset());
      int exitCode = waitFor(process, argv);
      return new Output(argv, exitCode, out, new String(err.join(), Charset.defaultCharset()));
    } catch (IOException e) {
      throw new CommandFailedException(
          "Could not read the output of `"
              + command(argv)
              + "` ("
              + e.getMessage()
              + "). Run the goal again.",
          -1);
    }
  }

  /** What a {@link #capture} query printed. */
  public record Output(List<String> argv, int exitCode, String stdout, String stderr) {}

  /** The failure of a captured query, explained like any other command's. */
  public CommandFailedException failure(Output output) {
    return new CommandFailedException(
        FailureDiagnosis.explain(
            output.argv(), null, output.exitCode(), output.stdout() + output.stderr(), dockerHost),
        output.exitCode());
  }

  /**
   * Runs a container in two steps: {@code create} (through a {@link RunKeeper}, outside Maven's
   * process group, so that the id is always known), then {@code start --attach} of that id with the
   * user's stdin and stdout; stderr goes to {@code stderr} through a pipe so that engine errors can
   * be recognised. If Maven is interrupted or terminated, that id is removed; if Maven is killed,
   * its keeper removes it.
   *
   * @param create the {@code create} argv ({@link Commands#create})
   * @param name the container's name (shown in dry-run mode, where there is no id)
   */
  public void run(List<String> create, String name, boolean interactive)
      throws CommandFailedException {
    String cli = create.get(0);
    if (announce(create)) {
      announce(Commands.start(cli, name, interactive));
      return;
    }
    Run run = new Run(cli, name);
    Thread hook = new Thread(() -> run.abort(true), "nss-remove-" + name);
    hooks.add(hook);
    try {
      String id = run.create(create);
      List<String> start = Commands.start(cli, id, interactive);
      announce(start);
      ProcessBuilder pb =
          prepare(start)
              .redirectInput(ProcessBuilder.Redirect.INHERIT)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.PIPE);
      Tail tail = new Tail();
      Process process = run.start(pb, start);
      Thread tee = teeThread(process.getErrorStream(), tail, name);
      int exitCode;
      try {
        exitCode = process.waitFor();
      } catch (InterruptedException e) {
        run.abort(false);
        Thread.currentThread().interrupt();
        throw new CommandFailedException(
            "Interrupted while running `"
                + cli
                + " start`; removed container "
                + name
                + ". Run the goal again.",
            130);
      }
      join(tee);
      run.finish(exitCode == 0);
      check(start, name, exitCode, tail);
    } finally {
      hooks.remove(hook);
    }
  }

  /**
   * One container's life: its keeper, its start process, and the lock that orders them against a
   * shutdown. JVM shutdown does not stop the goal's thread: once the hook has begun, nothing new
   * may start.
   */
  private final class Run {
    private final String cli;
    private final String name;
    private boolean stopping;
    private Process keeper;
    private Process start;
    private CompletableFuture<String> keeperSays;
    private Tail createTail;
    private boolean removed;

    Run(String cli, String name) {
      this.cli = cli;
      this.name = name;
    }

    /**
     * Starts the keeper, which runs {@code create}; returns the id, or fails with the create's exit
     * code.
     */
    String create(List<String> create) throws CommandFailedException {
      ProcessBuilder createPb = prepare(create);
      ProcessBuilder pb =
          new ProcessBuilder(RunKeeper.command(cli, createPb.command(), setsid()))
              .directory(createPb.directory())
              .redirectError(ProcessBuilder.Redirect.PIPE);
      pb.environment().putAll(createPb.environment());
      pb.environment().remove("JAVA_TOOL_OPTIONS"); // the keeper's JVM would announce it on stderr
      pb.environment().remove("JDK_JAVA_OPTIONS");
      synchronized (this) {
        if (stopping) {
          throw new CommandFailedException(
              "Maven is stopping: `" + cli + " create` was not started. Run the goal " + "again.",
              130);
        }
        keeper = ContainerCli.start(pb, create);
        createTail = new Tail();
        teeThread(keeper.getErrorStream(), createTail, name);
        keeperSays =
            CompletableFuture.supplyAsync(
                () -> RunKeeper.readLine(keeper.getInputStream()), daemon("nss-keeper-"));
      }
      String line = awaitKeeper();
      if (line.startsWith(RunKeeper.CREATED)) {
        return line.substring(RunKeeper.CREATED.length());
      }
      int exitCode = -1;
      if (line.startsWith(RunKeeper.FAILED)) {
        exitCode = Integer.parseInt(line.substring(RunKeeper.FAILED.length()).strip());
      }
      throw new CommandFailedException(
          FailureDiagnosis.explain(create, name, exitCode, createTail.toString(), dockerHost),
          exitCode);
    }

    Process start(ProcessBuilder pb, List<String> argv) throws CommandFailedException {
      synchronized (this) {
        if (stopping) {
          throw new CommandFailedException(
              "Maven is stopping: `"
                  + cli
                  + " start` was not started; removed "
                  + "container "
                  + name
                  + ". Run the goal again.",
              130);
        }
        start = ContainerCli.start(pb, argv);
        return start;
      }
    }

    /**
     * The container's start has ended: after a success {@code --rm} has removed it; otherwise (a
     * failed start, or a {@code start} client ended by a signal while the container runs on) remove
     * it. Then release the keeper.
     */
    void finish(boolean succeeded) {
      if (succeeded || removeCreated(false)) {
        release();
      }
    }

    /**
     * Maven is stopping ({@code shutdown}: from the hook) or the goal's thread was interrupted:
     * remove the container once its create has finished (the keeper's create cannot be hit by the
     * signal), then stop the start client.
     */
    void abort(boolean shutdown) {
      Process keeperNow;
      Process startNow;
      synchronized (this) {
        stopping = stopping || shutdown;
        keeperNow = keeper;
        startNow = start;
      }
      if (keeperNow == null) {
        return; // nothing was created, and nothing will be
      }
      if (removeCreated(true)) {
        release(); // else Maven's end leaves the container to the keeper
      }
      if (startNow != null) {
        BuildStop.destroyAndWait(startNow);
      }
    }

    /**
     * @param stopping say so on stderr (Maven is stopping, the user should know why it waits)
     * @return whether nothing is left: removed, or never created
     */
    private synchronized boolean removeCreated(boolean stopping) {
      if (removed) {
        return true;
      }
      String line = awaitKeeper();
      if (line.startsWith(RunKeeper.FAILED)) {
        return true;
      }
      // Without a report the keeper died: the name is the best there is.
      String container =
          line.startsWith(RunKeeper.CREATED) ? line.substring(RunKeeper.CREATED.length()) : name;
      if (stopping) {
        stderr.println("[nss] stopping: " + ShellWords.quote(Engine.forceRemove(cli, container)));
      }
      removed = forceRemove(cli, container);
      return removed;
    }

    /** Tells the keeper that Maven has dealt with the container, so it leaves it alone. */
    private synchronized void release() {
      if (keeper == null) {
        return;
      }
      try (OutputStream in = keeper.getOutputStream()) {
        in.write((RunKeeper.DONE + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The keeper is gone already.
      }
    }

    /** The keeper's report; a create takes seconds at most, the bound is a hang guard. */
    private String awaitKeeper() {
      try {
        String line = keeperSays.get(KEEPER_SECONDS, TimeUnit.SECONDS);
        return line == null ? "" : line;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "";
      } catch (ExecutionException | TimeoutException e) {
        return "";
      }
    }
  }

  /**
   * Runs a command with {@code input} written to its stdin (a password: never logged); output goes
   * to the log.
   */
  public void withStdin(List<String> argv, byte[] input) throws CommandFailedException {
    if (announce(argv)) {
      return;
    }
    ProcessBuilder pb = prepare(argv).redirectErrorStream(true);
    Process process = start(pb, argv);
    try (OutputStream in = process.getOutputStream()) {
      in.write(input);
    } catch (IOException e) {
      // The CLI exited before reading; its exit code says why.
    }
    Tail tail = new Tail();
    try {
      logOutput(process, tail);
    } catch (IOException e) {
      // Exit code decides.
    }
    check(argv, null, waitFor(process, argv), tail);
  }

  /**
   * Runs a read-only query, logging nothing but the command; true when it exits 0. Not run in
   * dry-run mode.
   */
  public boolean probe(List<String> argv) {
    if (announce(argv)) {
      return true;
    }
    try {
      return exitsZero(prepare(argv), 60);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * {@code mkdir -p}, logged like a command.
   *
   * @param property the setting that names the directories, for the failure's advice
   */
  public void mkdirs(String property, Path... dirs) throws CommandFailedException {
    List<String> argv = new java.util.ArrayList<>(List.of("mkdir", "-p"));
    for (Path dir : dirs) {
      argv.add(dir.toString());
    }
    if (announce(argv)) {
      return;
    }
    for (Path dir : dirs) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new CommandFailedException(
            "Could not create "
                + dir
                + " ("
                + e
                + "). Create it yourself or choose another "
                + property
                + ".",
            -1);
      }
    }
  }

  /** Logs the command; true when in dry-run mode (nothing must run). */
  private boolean announce(List<String> argv) {
    StringBuilder env = new StringBuilder();
    extraEnvironment.forEach(
        (k, v) -> env.append(k).append('=').append(ShellWords.quote(v)).append(' '));
    String line = env + ShellWords.quote(argv);
    log.accept(dryRun ? DRY_RUN_PREFIX + line : line);
    return dryRun;
  }

  private ProcessBuilder prepare(List<String> argv) {
    ProcessBuilder pb = processes.apply(List.copyOf(argv));
    pb.directory(workDir.toFile());
    Map<String, String> env = pb.environment();
    env.putAll(extraEnvironment);
    if (Engine.isDocker(argv.get(0))) {
      env.put("DOCKER_BUILDKIT", "1");
      if (verb(argv).equals("manifest")) {
        env.put("DOCKER_CLI_EXPERIMENTAL", "enabled"); // docker 20.10 hides `manifest` without it
      }
    }
    return pb;
  }

  /** What runs while a started CLI process is watched; returns its exit code. */
  private interface Watch {
    int apply(Process process) throws CommandFailedException;
  }

  /**
   * Starts the CLI under a shutdown hook that stops it if Maven is terminated. The hook is in place
   * before the CLI starts, and a lock orders the two: JVM shutdown does not stop this thread, so
   * once the hook has run, the CLI must not start.
   */
  private int supervised(ProcessBuilder pb, List<String> argv, Runnable afterStop, Watch watch)
      throws CommandFailedException {
    AtomicReference<Process> running = new AtomicReference<>();
    Object gate = new Object();
    boolean[] stopping = {false};
    Thread hook =
        new Thread(
            () -> {
              Process seen;
              synchronized (gate) {
                stopping[0] = true;
                seen = running.get();
              }
              BuildStop.stop(seen, argv.get(0));
              if (afterStop != null) {
                afterStop.run();
              }
            },
            "nss-stop-" + command(argv));
    hooks.add(hook);
    try {
      Process process;
      synchronized (gate) {
        if (stopping[0]) {
          throw new CommandFailedException(
              "Maven is stopping: `" + command(argv) + "` was not started. Run the goal again.",
              130);
        }
        process = start(pb, argv);
        running.set(process);
      }
      return watch.apply(process);
    } finally {
      hooks.remove(hook);
    }
  }

  /** Copies the process's output into the log line by line, keeping its tail. */
  private void logOutput(Process process, Tail tail) throws IOException {
    Streams.lines(
        process.getInputStream(),
        Charset.defaultCharset(),
        line -> {
          log.accept(line);
          tail.add(line + "\n");
        });
  }

  /** Runs a command with its output discarded; true when it exits 0 within {@code seconds}. */
  static boolean exitsZero(ProcessBuilder pb, long seconds)
      throws IOException, InterruptedException {
    Process process =
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return false;
    }
    return process.exitValue() == 0;
  }

  private static Process start(ProcessBuilder pb, List<String> argv) throws CommandFailedException {
    try {
      return pb.start();
    } catch (IOException e) {
      throw new CommandFailedException(
          "Could not start the container CLI `"
              + argv.get(0)
              + "` ("
              + e.getMessage()
              + "). Install docker or podman, or set -Dnss.containerCli to the CLI's path.",
          -1);
    }
  }

  private int waitFor(Process process, List<String> argv) throws CommandFailedException {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      BuildStop.stop(process, argv.get(0));
      Thread.currentThread().interrupt();
      throw new CommandFailedException(
          "Interrupted while running `" + command(argv) + "`; stopped it. Run the goal again.",
          130);
    }
  }

  private boolean forceRemove(String cli, String container) {
    try {
      return ContainerRemoval.untilGone(processes, workDir, cli, container);
    } catch (IOException e) {
      stderr.println("[nss] could not remove container " + container + ": " + e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Where {@code setsid} is on PATH (util-linux, on every Linux); null elsewhere. */
  private static String setsid() {
    return ContainerCliLocator.findOnPath("setsid", System.getenv("PATH"))
        .map(Path::toString)
        .orElse(null);
  }

  private Thread teeThread(InputStream from, Tail tail, String name) {
    return Streams.copyInBackground(
        from,
        (buffer, length) -> {
          stderr.write(buffer, 0, length);
          stderr.flush();
          tail.add(new String(buffer, 0, length, Charset.defaultCharset()));
        },
        "nss-stderr-" + name);
  }

  private static void join(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Executor daemon(String prefix) {
    return runnable -> {
      Thread t = new Thread(runnable, prefix + runnable.hashCode());
      t.setDaemon(true);
      t.start();
    };
  }

  /**
   * @param name the container a run creates, else null
   */
  private void check(List<String> argv, String name, int exitCode, Tail tail)
      throws CommandFailedException {
    if (exitCode != 0) {
      throw new CommandFailedException(
          FailureDiagnosis.explain(argv, name, exitCode, tail.toString(), dockerHost), exitCode);
    }
  }

  /** The last few KiB of a command's output, enough to recognise engine errors. */
  private static final class Tail {
    private final Deque<String> parts = new ArrayDeque<>();
    private int size;

    synchronized void add(String part) {
      parts.addLast(part);
      size += part.length();
      while (size > TAIL_LIMIT && parts.size() > 1) {
        size -= parts.removeFirst().length();
      }
    }

    @Override
    public synchronized String toString() {
      return String.join("", parts);
    }
  }
}
