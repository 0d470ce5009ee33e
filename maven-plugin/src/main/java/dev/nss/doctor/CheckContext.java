package dev.nss.doctor;

import dev.nss.core.Command;
import dev.nss.core.CommandResult;
import dev.nss.engine.ContainerCliLocator;
import dev.nss.engine.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * What the checks share: settings, environment, the chosen CLI and one memoized engine {@code
 * info}.
 */
public final class CheckContext {

  private final DoctorSettings settings;
  private final DoctorEnvironment environment;
  private final String cli;
  private final Optional<Path> cliPath;
  private final FutureTask<EngineProbe> engineProbe;
  private final FutureTask<GpuProbe> gpuProbe;

  public CheckContext(DoctorSettings settings, DoctorEnvironment environment) {
    this.settings = settings;
    this.environment = environment;
    this.cli = ContainerCliLocator.locate(settings.containerCli(), environment.env("PATH"));
    this.cliPath = ContainerCliLocator.findOnPath(cli, environment.env("PATH"));
    this.engineProbe = new FutureTask<>(this::probeEngine);
    this.gpuProbe = new FutureTask<>(() -> GpuProbe.probe(this));
  }

  public DoctorSettings settings() {
    return settings;
  }

  public DoctorEnvironment environment() {
    return environment;
  }

  /** The CLI as chosen ({@code nss.containerCli}, else podman on PATH, else docker). */
  public String cli() {
    return cli;
  }

  /** Where the chosen CLI is, if it exists. */
  public Optional<Path> cliPath() {
    return cliPath;
  }

  /**
   * Whether the CLI is podman (by its file name), which has no buildx and reads CDI specs for GPUs.
   */
  public boolean isPodman() {
    return Engine.isPodman(cli);
  }

  /** Runs the CLI with these arguments under the check timeout; the CLI must exist. */
  public CommandResult cli(Map<String, String> extraEnv, String stdin, String... args)
      throws InterruptedException {
    return cli(settings.timeout(), extraEnv, stdin, args);
  }

  /** Runs the CLI under a timeout of its own (at most what is left of the check's). */
  public CommandResult cli(
      java.time.Duration timeout, Map<String, String> extraEnv, String stdin, String... args)
      throws InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(cliPath.map(Path::toString).orElse(cli));
    argv.addAll(Arrays.asList(args));
    return environment.runner().run(new Command(argv, extraEnv, stdin, timeout));
  }

  public CommandResult cli(String... args) throws InterruptedException {
    return cli(Map.of(), "", args);
  }

  /** Runs any program under the check timeout. */
  public CommandResult run(String... argv) throws InterruptedException {
    return environment.runner().run(Command.of(settings.timeout(), argv));
  }

  /**
   * The engine's {@code info}, run once and shared by the checks that need it.
   *
   * @throws InterruptedException when the check is cancelled while waiting
   */
  public EngineProbe engine() throws InterruptedException {
    engineProbe.run(); // no-op once started
    try {
      return engineProbe.get();
    } catch (ExecutionException e) {
      return EngineProbe.failed("engine check failed: " + e.getCause(), "");
    }
  }

  /**
   * What nvidia-smi says of the GPUs, asked once and shared by the checks that compare them with
   * the image.
   *
   * @throws InterruptedException when the check is cancelled while waiting
   */
  GpuProbe gpus() throws InterruptedException {
    gpuProbe.run(); // no-op once started
    try {
      return gpuProbe.get();
    } catch (ExecutionException e) {
      return new GpuProbe(java.util.List.of(), 0, "nvidia-smi failed: " + e.getCause());
    }
  }

  /**
   * Starts the engine probe on the caller's executor so dependent checks do not wait on each other.
   */
  void startEngineProbe(java.util.concurrent.Executor executor) {
    executor.execute(engineProbe);
  }

  private EngineProbe probeEngine() throws InterruptedException {
    if (cliPath.isEmpty()) {
      return EngineProbe.failed(cli + " not found on PATH", CliCheck.fix(this));
    }
    CommandResult result = cli("info", "--format", "{{json .}}");
    StringBuilder problem = new StringBuilder();
    if (!result.timedOut() && !result.stdout().isBlank()) {
      Optional<EngineInfo> info = EngineInfo.parse(result.stdout(), problem);
      if (info.isPresent() && result.exitCode() == 0) {
        return new EngineProbe(info, "", "");
      }
    }
    String why =
        result.succeeded() && problem.length() > 0 ? problem.toString() : result.describeFailure();
    return EngineProbe.failed(why, EngineCheck.fix(this, why));
  }

  /**
   * The outcome of {@code info}.
   *
   * @param info the engine facts when it answered
   * @param problem why it did not answer
   * @param fix how to make it answer
   */
  public record EngineProbe(Optional<EngineInfo> info, String problem, String fix) {
    static EngineProbe failed(String problem, String fix) {
      return new EngineProbe(Optional.empty(), problem, fix);
    }

    /** For checks that need the engine: an error naming the engine problem. */
    public Finding notChecked(Status status) {
      return new Finding(status, "not checked: engine unreachable (" + problem + ")", fix);
    }
  }
}
