package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.PropertyNames;
import dev.nss.core.ShellWords;
import dev.nss.engine.Engine;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One container's life: its keeper ({@link RunKeeper}, which runs the {@code create}), its {@code
 * start} process, its removal, and the lock that orders them against a shutdown. JVM shutdown does
 * not stop the goal's thread: once the hook has begun, nothing new may start.
 */
final class ContainerRun {

  /**
   * How long the keeper's report may come after its create's limit: its JVM's start, ending a
   * create that overran.
   */
  private static final Duration KEEPER_GRACE = Duration.ofSeconds(30);

  private final CliProcesses processes;
  private final String cli;
  private final String name;
  private final PrintStream stderr;
  private final String dockerHost;
  private final Duration limit;
  private final OutputStream stdout;
  private boolean stopping;
  private Process keeper;
  private Process start;
  private CompletableFuture<String> keeperSays;
  private OutputTail createTail;
  private boolean removed;

  /** When the create began: the start of the window in which the engine's oom events count. */
  private Instant creating;

  /**
   * @param name the container's name
   * @param stderr where the create's stderr is passed on to, and a stop's removal told
   * @param dockerHost the DOCKER_HOST of Maven's environment, for the unreachable-engine message
   * @param limit how long the create may take ({@code nss.engineTimeout}): the keeper ends it after
   */
  ContainerRun(
      CliProcesses processes,
      String cli,
      String name,
      PrintStream stderr,
      String dockerHost,
      Duration limit) {
    this.processes = processes;
    this.cli = cli;
    this.name = name;
    this.stderr = stderr;
    this.dockerHost = dockerHost;
    this.limit = limit;
    this.stdout = new FileOutputStream(FileDescriptor.out); // where an inherited stdout goes
  }

  /**
   * Starts the keeper, which runs {@code create}; returns the id, or fails with the create's exit
   * code.
   */
  String create(List<String> create) throws CommandFailedException {
    creating = Instant.now();
    ProcessBuilder pb = processes.keeper(create, limit);
    synchronized (this) {
      if (stopping) {
        throw new CommandFailedException(
            "Maven is stopping: `" + cli + " create` was not started. Run the goal again.", 130);
      }
      keeper = CliProcesses.start(pb, create);
      createTail = new OutputTail();
      createTail.tee(keeper.getErrorStream(), stderr, name);
      keeperSays =
          CompletableFuture.supplyAsync(
              () -> RunKeeper.readLine(keeper.getInputStream()), daemon("nss-keeper-"));
    }
    String line = awaitKeeper();
    if (line.startsWith(RunKeeper.CREATED)) {
      return line.substring(RunKeeper.CREATED.length());
    }
    if (line.startsWith(RunKeeper.TIMED_OUT)) {
      throw CommandFailedException.unanswered(
          EngineQueries.timedOut(create, limit)
              + " The keeper removes container "
              + name
              + " if the engine creates it later.");
    }
    if (line.isEmpty()) {
      abandon();
      if (Thread.currentThread().isInterrupted()) {
        throw new CommandFailedException(
            "Interrupted while running `"
                + cli
                + " create`; the keeper removes container "
                + name
                + " once the create ends. Run the goal again.",
            130);
      }
      throw new CommandFailedException(
          "The run's keeper gave no answer on `"
              + cli
              + " create` within "
              + limit.plus(KEEPER_GRACE).toSeconds()
              + " s; it removes container "
              + name
              + " once the create ends. Check that "
              + cli
              + " answers (`"
              + cli
              + " info`), or raise -D"
              + PropertyNames.ENGINE_TIMEOUT
              + "=SECONDS.",
          -1);
    }
    int exitCode = -1;
    if (line.startsWith(RunKeeper.FAILED)) {
      exitCode = Integer.parseInt(line.substring(RunKeeper.FAILED.length()).strip());
    }
    throw new CommandFailedException(
        FailureDiagnosis.explain(create, name, exitCode, createTail.toString(), dockerHost),
        exitCode);
  }

  /**
   * Runs {@code start --attach} of the created container ({@code argv}) with the user's stdin and
   * stdout (a podman run with a {@code terminal}: passed on by Maven, see {@link TerminalOutput});
   * stderr goes to {@code stderr} through a pipe so that engine errors can be recognised. Then
   * removes the container if it is left, releases the keeper, and fails as the start did.
   */
  void attach(List<String> argv, boolean terminal) throws CommandFailedException {
    TerminalOutput output = terminal && Engine.isPodman(cli) ? new TerminalOutput(stdout) : null;
    ProcessBuilder pb =
        processes
            .prepare(argv)
            .redirectInput(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(
                output == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE)
            .redirectError(ProcessBuilder.Redirect.PIPE);
    OutputTail tail = new OutputTail();
    Process process = start(pb, argv);
    Thread tee = tail.tee(process.getErrorStream(), stderr, name);
    Thread pass = output == null ? null : output.pass(process.getInputStream(), name);
    int exitCode;
    try {
      exitCode = process.waitFor();
    } catch (InterruptedException e) {
      abort(false);
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
    String id = argv.get(argv.size() - 1);
    if (pass != null) {
      recoverMissed(output, pass, id);
    }
    finish(exitCode == 0);
    tail.check(
        argv,
        name,
        exitCode,
        dockerHost,
        OomKills.recorded(processes::prepare, cli, id, exitCode, creating));
  }

  /**
   * Prints from the container's log what the terminal missed, once all that the start client passed
   * on has been shown (else the two could overlap).
   */
  private void recoverMissed(TerminalOutput output, Thread pass, String container) {
    join(pass);
    if (pass.isAlive()) {
      return;
    }
    long printed = output.recoverFrom(processes.prepare(Commands.logs(cli, container)), limit);
    if (printed > 0) {
      stderr.println(
          "[nss] "
              + cli
              + "'s terminal attach missed the last "
              + printed
              + " bytes of the output: printed from the container's log");
    }
  }

  /** Starts the container's {@code start} client, unless Maven is stopping. */
  private Process start(ProcessBuilder pb, List<String> argv) throws CommandFailedException {
    synchronized (this) {
      if (stopping) {
        throw new CommandFailedException(
            "Maven is stopping: `"
                + cli
                + " start` was not started; removed container "
                + name
                + ". Run the goal again.",
            130);
      }
      start = CliProcesses.start(pb, argv);
      return start;
    }
  }

  /**
   * The container's start has ended: after a success docker's {@code --rm} has removed it;
   * otherwise (a failed start, a {@code start} client ended by a signal while the container runs
   * on, or any podman run, created without {@code --rm}: see {@link Commands#create}) remove it.
   * Then release the keeper.
   */
  private void finish(boolean succeeded) {
    if (succeeded && !Engine.isPodman(cli) || removeCreated(false)) {
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
      if (shutdown) {
        stopping = true;
      }
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
    if (line.startsWith(RunKeeper.FAILED) || line.startsWith(RunKeeper.TIMED_OUT)) {
      return true; // nothing created, or the keeper removes it by name
    }
    if (!line.startsWith(RunKeeper.CREATED)) {
      // No report: the create may still be on its way. Never `done` now: the keeper removes what
      // its create makes when its pipe ends without it.
      abandon();
      return false;
    }
    String container = line.substring(RunKeeper.CREATED.length());
    if (stopping) {
      stderr.println("[nss] stopping: " + ShellWords.quote(Engine.forceRemove(cli, container)));
    }
    removed = forceRemove(container);
    return removed;
  }

  private boolean forceRemove(String container) {
    try {
      return processes.removeUntilGone(cli, container);
    } catch (IOException e) {
      stderr.println("[nss] could not remove container " + container + ": " + e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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

  /**
   * Ends Maven's side of the keeper's pipe without {@code done}: the keeper removes the container
   * its create makes, as when Maven is gone.
   */
  private synchronized void abandon() {
    if (keeper == null) {
      return;
    }
    try {
      keeper.getOutputStream().close();
    } catch (IOException e) {
      // The keeper is gone already.
    }
  }

  /**
   * The keeper's report. The keeper ends a create that overruns its limit and says so; the bound
   * here only guards against a keeper that cannot report.
   */
  private String awaitKeeper() {
    try {
      String line = keeperSays.get(limit.plus(KEEPER_GRACE).toMillis(), TimeUnit.MILLISECONDS);
      return line == null ? "" : line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    } catch (ExecutionException | TimeoutException e) {
      return "";
    }
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
}
