package dev.nss.container;

import dev.nss.core.ShellWords;
import dev.nss.engine.Engine;
import dev.nss.engine.PodmanGpus;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns a failed container command (exit code and the tail of its output) into a message that ends
 * in the fix. Each known failure is one {@link Rule} of {@link #RULES}, tried in order: the first
 * that matches explains the failure; a failure none matches gets {@link #OTHERWISE}.
 */
final class FailureDiagnosis {

  /** A failed call as the rules see it. */
  record Failure(
      String cli,
      String verb,
      List<String> argv,
      String container,
      int exitCode,
      String output,
      String dockerHost) {

    /** The output in lower case, for messages whose case differs between clients. */
    String lower() {
      return output.toLowerCase(Locale.ROOT);
    }

    /** The last non-blank line of the output, stripped: often the client's own error. */
    String last() {
      return lastLine(output);
    }

    /** The exit code and which engine the CLI tried to reach. */
    String exitAndHost() {
      return "exit code "
          + exitCode
          + ", DOCKER_HOST="
          + (dockerHost == null ? "<unset>" : dockerHost);
    }

    /** The CLI and its verb, as the messages quote the call: {@code docker push}. */
    String call() {
      return cli + " " + verb;
    }
  }

  /**
   * One known failure: it matches a call whose verb is one of {@code verbs} (any verb when empty)
   * and whose exit code is one of {@code exitCodes} (any when empty), when {@code output} accepts
   * what the call printed; it explains it as the {@code cause}, then the {@code fix}.
   *
   * @param id names the rule in tests
   * @param fix empty when the cause is all there is to say
   */
  record Rule(
      String id,
      Set<String> verbs,
      Set<Integer> exitCodes,
      Predicate<Failure> output,
      Function<Failure, String> cause,
      Function<Failure, String> fix) {

    boolean matches(Failure f) {
      return (verbs.isEmpty() || verbs.contains(f.verb()))
          && (exitCodes.isEmpty() || exitCodes.contains(f.exitCode()))
          && output.test(f);
    }

    String message(Failure f) {
      String fixText = fix.apply(f);
      return cause.apply(f) + (fixText.isEmpty() ? "" : " " + fixText);
    }
  }

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

  /** The known failures, most specific first. */
  static final List<Rule> RULES =
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
                      + signal(f.exitCode())
                      + ".",
              f -> "See its output above; fix the command (nss.cmd) or the image and run again."));

  /** Any other failure. */
  static final Rule OTHERWISE =
      new Rule(
          "other",
          ANY_VERB,
          ANY_EXIT,
          ANY_OUTPUT,
          f -> "`" + f.call() + "` failed with exit code " + f.exitCode() + ".",
          f -> "See its output above, fix the cause and run again.");

  private FailureDiagnosis() {}

  /**
   * @param name the container a run creates, else null
   */
  static String explain(
      List<String> argv, String name, int exitCode, String output, String dockerHost) {
    Failure failure = failure(argv, name, exitCode, output, dockerHost);
    return rule(failure).message(failure);
  }

  static Failure failure(
      List<String> argv, String name, int exitCode, String output, String dockerHost) {
    String verb = argv.size() > 1 ? argv.get(1) : "";
    return new Failure(argv.get(0), verb, argv, name, exitCode, output, dockerHost);
  }

  /** The first rule that matches {@code failure}. */
  static Rule rule(Failure failure) {
    return RULES.stream().filter(r -> r.matches(failure)).findFirst().orElse(OTHERWISE);
  }

  /** Output that contains one of {@code texts}. */
  private static Predicate<Failure> outputContains(String... texts) {
    return f -> List.of(texts).stream().anyMatch(f.output()::contains);
  }

  /** Output that contains one of {@code texts} (lower case) in any case. */
  private static Predicate<Failure> outputContainsIgnoringCase(String... texts) {
    return f -> List.of(texts).stream().anyMatch(f.lower()::contains);
  }

  /**
   * The engine's error line when the CLI failed before the container's program ran: docker prints
   * {@code docker: Error response from daemon: ...}, podman ends with {@code Error: ...}. Empty
   * when the output has neither.
   */
  static String engineError(String output) {
    for (String line : output.lines().toList()) {
      int at = line.indexOf("Error response from daemon: ");
      if (at >= 0) {
        return line.substring(at).strip();
      }
    }
    String last = lastLine(output);
    return last.startsWith("Error: ") ? last : "";
  }

  private static String lastLine(String output) {
    List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  /**
   * Exit codes 129 to 192 are 128 + the number of the signal that ended the program (or the CLI
   * itself).
   */
  static boolean bySignal(int exitCode) {
    return exitCode > 128 && exitCode <= 128 + 64;
  }

  private static String signal(int exitCode) {
    if (!bySignal(exitCode)) {
      return "";
    }
    int n = exitCode - 128;
    String name =
        switch (n) {
          case 1 -> " (SIGHUP)";
          case 2 -> " (SIGINT)";
          case 3 -> " (SIGQUIT)";
          case 6 -> " (SIGABRT)";
          case 9 ->
              " (SIGKILL; often the out-of-memory killer, or `docker stop` after its timeout)";
          case 11 -> " (SIGSEGV)";
          case 13 -> " (SIGPIPE)";
          case 15 -> " (SIGTERM)";
          default -> "";
        };
    return ": the program was ended by signal " + n + name;
  }
}
