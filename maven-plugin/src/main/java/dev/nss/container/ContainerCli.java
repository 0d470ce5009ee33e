package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.core.ShellWords;
import dev.nss.core.ShutdownHooks;
import dev.nss.core.Streams;
import dev.nss.engine.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs container CLI commands as argv lists, never through a shell. Every command is logged first
 * as one shell-quoted line; in dry-run mode that line (prefixed {@code [dry-run] }) is all that
 * happens.
 */
public final class ContainerCli {

  public static final String DRY_RUN_PREFIX = "[dry-run] ";

  private final CliProcesses processes;
  private final Consumer<String> log;
  private final boolean dryRun;
  private final PrintStream stderr;
  private final String dockerHost;
  private final ShutdownHooks hooks;
  private final ShutdownSupervisor supervisor;
  private final EngineQueries queries;
  private final EngineAnswers answers;

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
    this(processes, workDir, log, dryRun, stderr, dockerHost, ShutdownHooks.JVM);
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
    this(
        new CliProcesses(processes, workDir, Map.of()),
        log,
        dryRun,
        stderr,
        dockerHost,
        hooks,
        Duration.ofSeconds(Long.parseLong(PropertyNames.ENGINE_TIMEOUT_DEFAULT)),
        EngineAnswers.of(processes));
  }

  private ContainerCli(
      CliProcesses processes,
      Consumer<String> log,
      boolean dryRun,
      PrintStream stderr,
      String dockerHost,
      ShutdownHooks hooks,
      Duration engineTimeout,
      EngineAnswers answers) {
    this.processes = processes;
    this.log = log;
    this.dryRun = dryRun;
    this.stderr = stderr;
    this.dockerHost = dockerHost;
    this.hooks = hooks;
    this.supervisor = new ShutdownSupervisor(hooks);
    this.answers = answers;
    this.queries = new EngineQueries(processes, engineTimeout, answers);
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
    return new ContainerCli(
        processes.withEnvironment(variables),
        log,
        dryRun,
        stderr,
        dockerHost,
        hooks,
        queries.limit(),
        answers);
  }

  /**
   * This CLI with {@code seconds} as the limit of every engine query, probe, login and {@code
   * create} ({@code nss.engineTimeout}).
   *
   * @throws InvalidSettingException when {@code seconds} is not positive
   */
  public ContainerCli withEngineTimeout(int seconds) throws InvalidSettingException {
    if (seconds < 1) {
      throw new InvalidSettingException(
          PropertyNames.ENGINE_TIMEOUT,
          "must be at least 1 second, was " + seconds,
          "Set -D"
              + PropertyNames.ENGINE_TIMEOUT
              + "=SECONDS (default "
              + PropertyNames.ENGINE_TIMEOUT_DEFAULT
              + ").");
    }
    return new ContainerCli(
        processes, log, dryRun, stderr, dockerHost, hooks, Duration.ofSeconds(seconds), answers);
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
   * then run {@code afterStop} (null: nothing), in Maven's shutdown hook. It has no time limit, so
   * an engine that has not answered lately is first asked {@link EngineAnswers#question} within
   * {@code nss.engineTimeout} (in a dry run: printed). A podman build runs in a session of its own
   * ({@code setsid}, where it exists) so that the terminal's Ctrl-C reaches only Maven, which stops
   * it cleanly.
   */
  public String stream(List<String> argv, Runnable afterStop) throws CommandFailedException {
    queries.askBefore(argv.get(0), this::announce);
    if (announce(argv)) {
      queries.ended(argv);
      return "";
    }
    ProcessBuilder pb = processes.prepare(argv).redirectErrorStream(true);
    String setsid = CliProcesses.setsid();
    if (isPodmanBuild(argv) && setsid != null) {
      List<String> command = new ArrayList<>(pb.command());
      command.add(0, setsid);
      pb.command(command);
    }
    OutputTail tail = new OutputTail();
    int exitCode =
        supervisor.run(
            pb,
            argv,
            afterStop,
            process -> {
              try {
                logOutput(process, tail);
              } catch (IOException e) {
                log.accept("(output of " + argv.get(0) + " ended early: " + e.getMessage() + ")");
              }
              return CliProcesses.waitFor(process, argv);
            });
    queries.ended(argv);
    tail.check(argv, null, exitCode, dockerHost);
    return tail.toString();
  }

  private static boolean isPodmanBuild(List<String> argv) {
    return Engine.isPodman(argv.get(0)) && CliProcesses.verb(argv).equals("build");
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
   * Runs a read-only query whose exit code is part of the answer (e.g. whether a local image
   * exists), logging only the command. It runs in dry-run mode too, like {@link #query}; unlike
   * {@link #probe}, a query that does not answer fails the goal.
   */
  public Output ask(List<String> argv) throws CommandFailedException {
    log.accept(ShellWords.quote(argv));
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
    return queries.run(argv, new byte[0]);
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
   * its keeper removes it ({@link ContainerRun}).
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
    ContainerRun run = new ContainerRun(processes, cli, name, stderr, dockerHost, queries.limit());
    Thread hook = new Thread(() -> run.abort(true), "nss-remove-" + name);
    hooks.add(hook);
    try {
      List<String> start = Commands.start(cli, run.create(create), interactive);
      announce(start);
      run.attach(start, interactive);
    } finally {
      hooks.remove(hook);
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
    Output output = queries.run(argv, input);
    String printed = output.stdout() + output.stderr();
    OutputTail tail = new OutputTail();
    printed
        .lines()
        .forEach(
            line -> {
              log.accept(line);
              tail.add(line + "\n");
            });
    tail.check(argv, null, output.exitCode(), dockerHost);
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
      return queries.exitsZero(argv);
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
    List<String> argv = new ArrayList<>(List.of("mkdir", "-p"));
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
    processes
        .environment()
        .forEach((k, v) -> env.append(k).append('=').append(ShellWords.quote(v)).append(' '));
    String line = env + ShellWords.quote(argv);
    log.accept(dryRun ? DRY_RUN_PREFIX + line : line);
    return dryRun;
  }

  /** Copies the process's output into the log line by line, keeping its tail. */
  private void logOutput(Process process, OutputTail tail) throws IOException {
    Streams.lines(
        process.getInputStream(),
        Charset.defaultCharset(),
        line -> {
          log.accept(line);
          tail.add(line + "\n");
        });
  }
}
