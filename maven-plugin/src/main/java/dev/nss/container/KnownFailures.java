package dev.nss.container;

import static dev.nss.container.FailureDiagnosis.engineError;
import static dev.nss.container.FailureDiagnosis.signal;

import dev.nss.container.FailureDiagnosis.Failure;
import dev.nss.container.FailureDiagnosis.Rule;
import dev.nss.core.ShellWords;
import dev.nss.engine.Engine;
import dev.nss.engine.PodmanGpus;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** The failures {@link FailureDiagnosis} knows: one row each, most specific first. */
final class KnownFailures {

  private static final Set<String> ANY_VERB = Set.of();
  private static final Set<String> BUILDS = Set.of("build", "buildx");
  private static final Set<String> PUSHES = Set.of("push", "manifest");

  /** The verbs that run the container's program. */
  private static final Set<String> RUNS = Set.of("run", "start");

  private static final Set<Integer> ANY_EXIT = Set.of();

  /** 126: found but not executable, 127: not found (the shell's codes, which runtimes reuse). */
  private static final Set<Integer> CANNOT_EXEC = Set.of(126, 127);

  private static final Predicate<Failure> ANY_OUTPUT = f -> true;

  /** The engine refused to create or start the container; the program never ran. */
  private static final Function<Failure, String> NOT_STARTED =
      f ->
          "`"
              + f.call()
              + "` could not "
              + (f.verb().equals("create") ? "create" : "start")
              + " the container (exit code "
              + f.exitCode()
              + "; the engine's reason is above).";

  private static final Function<Failure, String> CHECK_RUN_SETTINGS =
      f -> "Check the image name, nss.gpuFlag, nss.extraMounts and nss.shmSize.";

  /** The engine's and the program's failures, most specific first. */
  private static final List<Rule> ENGINE_RULES =
      List.of(
          new Rule(
              "no-gpu-driver",
              ANY_VERB,
              ANY_EXIT,
              outputContains("could not select device driver"),
              f ->
                  "The container engine has no GPU device driver ("
                      + f.cli()
                      + " exit code "
                      + f.exitCode()
                      + ": could not select device driver).",
              f ->
                  "Install the NVIDIA Container Toolkit and run `sudo nvidia-ctk runtime configure"
                      + " --runtime=docker`, then restart the engine; or run without a GPU with an"
                      + " empty nss.gpuFlag (-Dnss.gpuFlag=)."),
          // Case differs between clients: BuildKit in docker 20.10 says "failed to dial gRPC:
          // cannot connect to the Docker daemon. Is 'docker daemon' running on this host?".
          new Rule(
              "engine-unreachable",
              ANY_VERB,
              ANY_EXIT,
              outputContainsIgnoringCase(
                  "cannot connect to the docker daemon",
                  "is the docker daemon running",
                  "cannot connect to podman"),
              f -> "The container engine is unreachable (" + f.cli() + " " + f.exitAndHost() + ").",
              f ->
                  "Start the engine (e.g. `sudo systemctl start docker` or `podman system"
                      + " service`), or point DOCKER_HOST at a running one."),
          // The engine went away mid-command: the client's last words are about the broken
          // connection. docker start: the engine died between starting the container and
          // answering the start request.
          new Rule(
              "engine-lost-during-run",
              ANY_VERB,
              ANY_EXIT,
              f ->
                  f.container() != null
                      && (f.last().contains("error waiting for container")
                          || (f.last().startsWith("error during connect:")
                              && f.last().endsWith(": EOF"))),
              f ->
                  "Lost the connection to the container engine while container "
                      + f.container()
                      + " ran ("
                      + f.cli()
                      + " "
                      + f.exitAndHost()
                      + ").",
              f ->
                  "It may still be running: once the engine is back, `"
                      + ShellWords.quote(Engine.forceRemove(f.cli(), f.container()))
                      + "`."),
          new Rule(
              "engine-lost",
              ANY_VERB,
              ANY_EXIT,
              f -> f.last().endsWith("unexpected EOF"),
              f ->
                  "Lost the connection to the container engine while `"
                      + f.call()
                      + "` ran ("
                      + f.exitAndHost()
                      + ").",
              f -> "Once the engine is back, run the goal again."),
          new Rule(
              "no-buildx",
              ANY_VERB,
              ANY_EXIT,
              outputContains("buildx component is missing"),
              f ->
                  "The docker client `"
                      + f.cli()
                      + "` has BuildKit enabled but no buildx plugin (exit code "
                      + f.exitCode()
                      + ").",
              f ->
                  "Use a docker client with buildx, or the engine's own client, e.g."
                      + " -Dnss.containerCli=/usr/bin/docker."),
          new Rule(
              "base-image-pull",
              BUILDS,
              ANY_EXIT,
              f -> PullFailure.image(f.output()) != null,
              f -> PullFailure.cause(f.argv(), f.exitCode(), f.output()),
              f -> PullFailure.fix(f.argv(), f.output())),
          new Rule(
              "native-agent-build",
              BUILDS,
              ANY_EXIT,
              outputContains("agent-native-build"),
              f ->
                  "The image's native agent builder stage (agent-native-build: GraalVM"
                      + " native-image) failed (`"
                      + f.call()
                      + "` exit code "
                      + f.exitCode()
                      + "; its output is above).",
              f -> "Build the agent as a JVM distribution instead: -Dnss.entrypointBuild=jvm."),
          new Rule(
              "login",
              Set.of("login"),
              ANY_EXIT,
              ANY_OUTPUT,
              f ->
                  "`"
                      + f.call()
                      + "` failed with exit code "
                      + f.exitCode()
                      + ": "
                      + f.last()
                      + ".",
              f -> ""),
          new Rule(
              "registry-refused",
              PUSHES,
              ANY_EXIT,
              outputContainsIgnoringCase(
                  "unauthorized", "authentication required", "no basic auth credentials", "denied"),
              f ->
                  "The registry refused `"
                      + f.call()
                      + "` (exit code "
                      + f.exitCode()
                      + "): not logged in, or no permission to push there.",
              f ->
                  "Set nss.registryServerId to the id of a settings.xml <server> with its"
                      + " credentials, or log in with `"
                      + f.cli()
                      + " login` before the build."),
          new Rule(
              "registry-tls",
              PUSHES,
              ANY_EXIT,
              outputContainsIgnoringCase("http response to https client", "certificate"),
              f ->
                  "`"
                      + f.call()
                      + "` could not talk TLS to the registry (exit code "
                      + f.exitCode()
                      + "): "
                      + f.last()
                      + ".",
              f ->
                  "For a plain-HTTP registry set -Dnss.registryInsecure=true (docker: also list it"
                      + " in the daemon's insecure-registries unless it is on 127.0.0.0/8)."),
          new Rule(
              "no-cdi-spec",
              ANY_VERB,
              ANY_EXIT,
              outputContains("unresolvable CDI devices"),
              f ->
                  "The container did not start: podman found no CDI spec for the GPU devices ("
                      + f.call()
                      + " exit code "
                      + f.exitCode()
                      + ": "
                      + engineError(f.output())
                      + ").",
              f -> PodmanGpus.noSpecFix()),
          // The engine's own 125 for run; any failed create.
          new Rule(
              "run-refused",
              Set.of("run"),
              Set.of(125),
              ANY_OUTPUT,
              NOT_STARTED,
              CHECK_RUN_SETTINGS),
          new Rule(
              "create-failed",
              Set.of("create"),
              ANY_EXIT,
              ANY_OUTPUT,
              NOT_STARTED,
              CHECK_RUN_SETTINGS),
          // start itself failed, so the program never ran: docker then exits 1 after the daemon's
          // error, podman 125 after its own.
          new Rule(
              "start-refused-by-daemon",
              Set.of("start"),
              Set.of(1),
              f -> f.last().startsWith("Error response from daemon:"),
              NOT_STARTED,
              CHECK_RUN_SETTINGS),
          new Rule(
              "start-refused-by-podman",
              Set.of("start"),
              Set.of(125),
              f -> f.last().startsWith("Error: "),
              NOT_STARTED,
              CHECK_RUN_SETTINGS),
          // The engine's own 126/127 (the runtime could not exec the entrypoint): the program never
          // ran.
          new Rule(
              "entrypoint-not-executed",
              RUNS,
              CANNOT_EXEC,
              f -> !engineError(f.output()).isEmpty(),
              f ->
                  "The container engine could not start the container's command ("
                      + f.cli()
                      + " exit code "
                      + f.exitCode()
                      + ": "
                      + engineError(f.output())
                      + "); the program did not run.",
              f -> "Check the image's entrypoint and nss.cmd."),
          new Rule(
              "command-not-executed",
              RUNS,
              CANNOT_EXEC,
              ANY_OUTPUT,
              f ->
                  "The command in the container could not be "
                      + (f.exitCode() == 127 ? "found" : "executed")
                      + " (exit code "
                      + f.exitCode()
                      + ").",
              f ->
                  "Check nss.cmd and the image's entrypoint; if the program did run, it exited with "
                      + f.exitCode()
                      + " itself."),
          new Rule(
              "program-failed",
              RUNS,
              ANY_EXIT,
              ANY_OUTPUT,
              f ->
                  "The container exited with code "
                      + f.exitCode()
                      + " (`"
                      + f.call()
                      + "`)"
                      + signal(f.exitCode(), f.cli())
                      + ".",
              f -> "See its output above; fix the command (nss.cmd) or the image and run again."));

  /** The known failures, most specific first: the GPU and memory rows, then the engine's. */
  static final List<Rule> RULES =
      java.util.stream.Stream.concat(GpuFailures.RULES.stream(), ENGINE_RULES.stream()).toList();

  /** Any other failure. */
  static final Rule OTHERWISE =
      new Rule(
          "other",
          ANY_VERB,
          ANY_EXIT,
          ANY_OUTPUT,
          f -> "`" + f.call() + "` failed with exit code " + f.exitCode() + ".",
          f -> "See its output above, fix the cause and run again.");

  /** Output that contains one of {@code texts}. */
  private static Predicate<Failure> outputContains(String... texts) {
    return f -> List.of(texts).stream().anyMatch(f.output()::contains);
  }

  /** Output that contains one of {@code texts} (lower case) in any case. */
  private static Predicate<Failure> outputContainsIgnoringCase(String... texts) {
    return f -> List.of(texts).stream().anyMatch(f.lower()::contains);
  }

  private KnownFailures() {}
}
