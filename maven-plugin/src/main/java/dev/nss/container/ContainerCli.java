package dev.nss.container;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs container CLI commands as argv lists, never through a shell. Every command is logged first as one shell-quoted
 * line; in dry-run mode that line (prefixed {@code [dry-run] }) is all that happens.
 */
public final class ContainerCli {

  public static final String DRY_RUN_PREFIX = "[dry-run] ";
  private static final int TAIL_LIMIT = 16 * 1024;
  /** How long a container whose create was in flight may take to appear before it is removed. */
  private static final long CREATE_SETTLE_SECONDS = 10;

  private final Function<List<String>, ProcessBuilder> processes;
  private final Path workDir;
  private final Consumer<String> log;
  private final boolean dryRun;
  private final PrintStream stderr;
  private final String dockerHost;
  /** Variables added to every command's environment (a private registry login location), shown in the echo. */
  private final Map<String, String> extraEnvironment;
  /** Containers this CLI has removed, so that the hook and the goal's thread stop retrying once either succeeded. */
  private final Set<String> removedContainers = ConcurrentHashMap.newKeySet();

  /**
   * @param processes makes the process for an argv; {@code ProcessBuilder::new} for real, a fake in tests
   * @param workDir the directory commands run in
   * @param log receives the command lines and the output of builds (the Maven log)
   * @param dryRun log the commands only
   * @param stderr where a run's stderr is passed on to (System.err for real)
   * @param dockerHost the DOCKER_HOST of Maven's environment, for the unreachable-engine message
   */
  public ContainerCli(Function<List<String>, ProcessBuilder> processes, Path workDir, Consumer<String> log,
      boolean dryRun, PrintStream stderr, String dockerHost) {
    this(processes, workDir, log, dryRun, stderr, dockerHost, Map.of());
  }

  private ContainerCli(Function<List<String>, ProcessBuilder> processes, Path workDir, Consumer<String> log,
      boolean dryRun, PrintStream stderr, String dockerHost, Map<String, String> extraEnvironment) {
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

  /** This CLI with {@code variables} added to the environment of its commands (and to their echo). */
  public ContainerCli withEnvironment(Map<String, String> variables) {
    Map<String, String> all = new java.util.LinkedHashMap<>(extraEnvironment);
    all.putAll(variables);
    return new ContainerCli(processes, workDir, log, dryRun, stderr, dockerHost, all);
  }

  /**
   * Runs a build-like command; its output (stdout and stderr merged) streams into the log line by line. Returns the
   * last few KiB of that output ("" in dry-run mode).
   */
  public String stream(List<String> argv) throws ContainerCommandException {
    if (announce(argv)) {
      return "";
    }
    ProcessBuilder pb = prepare(argv).redirectErrorStream(true);
    Tail tail = new Tail();
    int exitCode = supervised(pb, argv, null, process -> {
      try {
        logOutput(process, tail);
      } catch (IOException e) {
        log.accept("(output of " + argv.get(0) + " ended early: " + e.getMessage() + ")");
      }
      return waitFor(process, argv, null);
    });
    check(argv, null, exitCode, tail);
    return tail.toString();
  }

  /**
   * Runs a query whose stdout is data (e.g. {@code image inspect}), logging only the command. Not run in dry-run mode
   * (then null).
   */
  public Output capture(List<String> argv) throws ContainerCommandException {
    if (announce(argv)) {
      return null;
    }
    Process process = start(prepare(argv), argv);
    try {
      process.getOutputStream().close();
      java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return process.getErrorStream().readAllBytes();
        } catch (IOException e) {
          return new byte[0];
        }
      });
      String out = new String(process.getInputStream().readAllBytes(), Charset.defaultCharset());
      int exitCode = waitFor(process, argv, null);
      return new Output(argv, exitCode, out, new String(err.join(), Charset.defaultCharset()));
    } catch (IOException e) {
      throw new ContainerCommandException("Could not read the output of `" + argv.get(0) + " " + argv.get(1) + "` ("
          + e.getMessage() + "). Run the goal again.", -1);
    }
  }

  /** What a {@link #capture} query printed. */
  public record Output(List<String> argv, int exitCode, String stdout, String stderr) {}

  /** The failure of a captured query, explained like any other command's. */
  public ContainerCommandException failure(Output output) {
    return new ContainerCommandException(FailureDiagnosis.explain(output.argv(), null, output.exitCode(),
        output.stdout() + output.stderr(), dockerHost), output.exitCode());
  }

  /**
   * Runs a container with the user's stdin and stdout; stderr goes to {@code stderr} through a pipe so that engine
   * errors can be recognised. If Maven is interrupted or terminated, the container {@code name} is removed.
   */
  public void interactive(List<String> argv, String name) throws ContainerCommandException {
    if (announce(argv)) {
      return;
    }
    ProcessBuilder pb = prepare(argv)
        .redirectInput(ProcessBuilder.Redirect.INHERIT)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.PIPE);
    Tail tail = new Tail();
    int exitCode = supervised(pb, argv, name, process -> {
      Thread tee = new Thread(() -> tee(process.getErrorStream(), stderr, tail), "nss-stderr-" + name);
      tee.setDaemon(true);
      tee.start();
      int code = waitFor(process, argv, name);
      try {
        tee.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return code;
    });
    check(argv, name, exitCode, tail);
  }

  /** Runs a command with {@code input} written to its stdin (a password: never logged); output goes to the log. */
  public void withStdin(List<String> argv, byte[] input) throws ContainerCommandException {
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
    check(argv, null, waitFor(process, argv, null), tail);
  }

  /** Runs a read-only query, logging nothing but the command; true when it exits 0. Not run in dry-run mode. */
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

  /** {@code mkdir -p}, logged like a command. */
  public void mkdirs(Path dir) throws ContainerCommandException {
    if (announce(List.of("mkdir", "-p", dir.toString()))) {
      return;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ContainerCommandException("Could not create " + dir + " (" + e + "). Create it yourself or "
          + "choose another nss.hfCache.", -1);
    }
  }

  /** Logs the command; true when in dry-run mode (nothing must run). */
  private boolean announce(List<String> argv) {
    StringBuilder env = new StringBuilder();
    extraEnvironment.forEach((k, v) -> env.append(k).append('=').append(ShellWords.quote(v)).append(' '));
    String line = env + ShellWords.quote(argv);
    log.accept(dryRun ? DRY_RUN_PREFIX + line : line);
    return dryRun;
  }

  private ProcessBuilder prepare(List<String> argv) {
    ProcessBuilder pb = processes.apply(List.copyOf(argv));
    pb.directory(workDir.toFile());
    Map<String, String> env = pb.environment();
    env.putAll(extraEnvironment);
    if (SettingsValidator.isDocker(argv.get(0))) {
      env.put("DOCKER_BUILDKIT", "1");
      if (argv.size() > 1 && argv.get(1).equals("manifest")) {
        env.put("DOCKER_CLI_EXPERIMENTAL", "enabled"); // docker 20.10 hides `manifest` without it
      }
    }
    return pb;
  }

  /** What runs while a started CLI process is watched; returns its exit code. */
  private interface Watch {
    int apply(Process process) throws ContainerCommandException;
  }

  /**
   * Starts the CLI under a shutdown hook that stops it (and removes container {@code name} when not null) if Maven is
   * terminated. The hook is in place before the CLI starts, so that no signal can slip between the two.
   */
  private int supervised(ProcessBuilder pb, List<String> argv, String name, Watch watch)
      throws ContainerCommandException {
    AtomicReference<Process> running = new AtomicReference<>();
    // JVM shutdown does not stop this thread: a signal that comes before the CLI starts must keep it from starting
    // (else it creates and starts the container after the hook is done). The gate orders the hook and the start.
    Object gate = new Object();
    boolean[] stopping = {false};
    Thread hook = new Thread(() -> {
      Process seen;
      synchronized (gate) {
        stopping[0] = true;
        seen = running.get();
      }
      abort(seen, argv.get(0), name);
    }, name == null ? "nss-stop-" + argv.get(1) : "nss-remove-" + name);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Process process;
      synchronized (gate) {
        if (stopping[0]) {
          throw new ContainerCommandException("Maven is stopping: `" + argv.get(0) + " " + argv.get(1)
              + "` was not started. Run the goal again.", 130);
        }
        process = start(pb, argv);
        running.set(process);
      }
      int exitCode = watch.apply(process);
      if (name != null && FailureDiagnosis.bySignal(exitCode)) {
        // A signal to the whole process group (Ctrl-C) can end the CLI while the engine is still creating the
        // container, which then stays behind in state Created: remove it once it exists. Otherwise --rm has removed it.
        removeOnceCreated(argv.get(0), name);
      }
      return exitCode;
    } finally {
      removeHook(hook);
    }
  }

  /** Copies the process's output into the log line by line, keeping its tail. */
  private void logOutput(Process process, Tail tail) throws IOException {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), Charset.defaultCharset()))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.accept(line);
        tail.add(line + "\n");
      }
    }
  }

  /** Runs a command with its output discarded; true when it exits 0 within {@code seconds}. */
  private static boolean exitsZero(ProcessBuilder pb, long seconds) throws IOException, InterruptedException {
    Process process = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return false;
    }
    return process.exitValue() == 0;
  }

  private static Process start(ProcessBuilder pb, List<String> argv) throws ContainerCommandException {
    try {
      return pb.start();
    } catch (IOException e) {
      throw new ContainerCommandException("Could not start the container CLI `" + argv.get(0) + "` (" + e.getMessage()
          + "). Install docker or podman, or set -Dnss.containerCli to the CLI's path.", -1);
    }
  }

  private int waitFor(Process process, List<String> argv, String name) throws ContainerCommandException {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      abort(process, argv.get(0), name);
      Thread.currentThread().interrupt();
      throw new ContainerCommandException("Interrupted while running `" + argv.get(0) + " " + argv.get(1)
          + "`; stopped it" + (name == null ? "" : " and removed container " + name) + ". Run the goal again.", 130);
    }
  }

  /**
   * Stops a command: for a run, removes its container first (that ends the CLI too), then stops the CLI process. If the
   * container did not exist yet, it may be in creation: remove it once it appears, for a few seconds after the CLI has
   * stopped. {@code process} is null when the shutdown began before the CLI started: the gate in {@link #supervised}
   * then keeps it from ever starting, so no container can appear and there is nothing to wait for.
   */
  private void abort(Process process, String cli, String name) {
    if (name != null) {
      stderr.println("[nss] stopping: " + ShellWords.quote(Commands.forceRemove(cli, name)));
    }
    boolean removed = name == null || forceRemove(cli, name);
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!removed) {
      removeOnceCreated(cli, name);
    }
  }

  /**
   * Retries {@code rm -f} for a container whose creation was in flight when its CLI ended: the engine finishes a create
   * it has received even when the CLI is gone, which took over 3 s on a loaded 2-core machine.
   */
  private void removeOnceCreated(String cli, String name) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(CREATE_SETTLE_SECONDS);
    while (!removedContainers.contains(name) && !forceRemove(cli, name) && System.nanoTime() < end) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean forceRemove(String cli, String name) {
    try {
      boolean removed = exitsZero(processes.apply(Commands.forceRemove(cli, name)).directory(workDir.toFile()), 20);
      if (removed) {
        removedContainers.add(name);
      }
      return removed;
    } catch (IOException e) {
      stderr.println("[nss] could not remove container " + name + ": " + e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** @param name the container a run creates, else null */
  private void check(List<String> argv, String name, int exitCode, Tail tail) throws ContainerCommandException {
    if (exitCode != 0) {
      throw new ContainerCommandException(
          FailureDiagnosis.explain(argv, name, exitCode, tail.toString(), dockerHost), exitCode);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: nothing to undo.
    }
  }

  private static void tee(InputStream from, PrintStream to, Tail tail) {
    byte[] buffer = new byte[8192];
    try (from) {
      int n;
      while ((n = from.read(buffer)) > 0) {
        to.write(buffer, 0, n);
        to.flush();
        tail.add(new String(buffer, 0, n, Charset.defaultCharset()));
      }
    } catch (IOException e) {
      // The process ended.
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
