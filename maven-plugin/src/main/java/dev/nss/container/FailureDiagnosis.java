package dev.nss.container;

import dev.nss.core.ShellWords;
import dev.nss.engine.Engine;
import dev.nss.engine.PodmanGpus;
import java.util.List;
import java.util.Locale;

/**
 * Turns a failed container command (exit code and the tail of its output) into a message that ends
 * in the fix.
 */
final class FailureDiagnosis {

  private FailureDiagnosis() {}

  /**
   * @param name the container a run creates, else null
   */
  static String explain(
      List<String> argv, String name, int exitCode, String output, String dockerHost) {
    String cli = argv.get(0);
    String verb = argv.size() > 1 ? argv.get(1) : "";
    String host = "DOCKER_HOST=" + (dockerHost == null ? "<unset>" : dockerHost);
    if (output.contains("could not select device driver")) {
      return "The container engine has no GPU device driver ("
          + cli
          + " exit code "
          + exitCode
          + ": could not select device "
          + "driver). Install the NVIDIA Container Toolkit and run `sudo nvidia-ctk runtime configure --runtime=docker`, "
          + "then restart the engine; or run without a GPU with an empty nss.gpuFlag (-Dnss.gpuFlag=).";
    }
    // Case differs between clients: BuildKit in docker 20.10 says "failed to dial gRPC: cannot
    // connect to the Docker
    // daemon. Is 'docker daemon' running on this host?".
    String lower = output.toLowerCase(Locale.ROOT);
    if (lower.contains("cannot connect to the docker daemon")
        || lower.contains("is the docker daemon running")
        || lower.contains("cannot connect to podman")) {
      return "The container engine is unreachable ("
          + cli
          + " exit code "
          + exitCode
          + ", "
          + host
          + "). Start the "
          + "engine (e.g. `sudo systemctl start docker` or `podman system service`), or point DOCKER_HOST at a running "
          + "one.";
    }
    // The engine went away mid-command: the client's last words are about the broken connection.
    String last = lastLine(output);
    // docker start: the engine died between starting the container and answering the start request.
    boolean startCutOff = last.startsWith("error during connect:") && last.endsWith(": EOF");
    if (name != null && (last.contains("error waiting for container") || startCutOff)) {
      return "Lost the connection to the container engine while container "
          + name
          + " ran ("
          + cli
          + " exit code "
          + exitCode
          + ", "
          + host
          + "). It may still be running: once the engine is back, `"
          + ShellWords.quote(Engine.forceRemove(cli, name))
          + "`.";
    }
    if (last.endsWith("unexpected EOF")) {
      return "Lost the connection to the container engine while `"
          + cli
          + " "
          + verb
          + "` ran (exit code "
          + exitCode
          + ", "
          + host
          + "). Once the engine is back, run the goal again.";
    }
    if (output.contains("buildx component is missing")) {
      return "The docker client `"
          + cli
          + "` has BuildKit enabled but no buildx plugin (exit code "
          + exitCode
          + "). Use a docker client with buildx, or the engine's own client, e.g. -Dnss.containerCli=/usr/bin/docker.";
    }
    if (verb.equals("build") || verb.equals("buildx")) {
      String pull = PullFailure.explain(argv, exitCode, output);
      if (pull != null) {
        return pull;
      }
    }
    if ((verb.equals("build") || verb.equals("buildx")) && output.contains("agent-native-build")) {
      return "The image's native agent builder stage (agent-native-build: GraalVM native-image) failed (`"
          + cli
          + " "
          + verb
          + "` exit code "
          + exitCode
          + "; its output is above). Build the agent as a JVM distribution instead:"
          + " -Dnss.entrypointBuild=jvm.";
    }
    if (verb.equals("login")) {
      return "`" + cli + " login` failed with exit code " + exitCode + ": " + last + ".";
    }
    if (verb.equals("push") || verb.equals("manifest")) {
      if (lower.contains("unauthorized")
          || lower.contains("authentication required")
          || lower.contains("no basic auth credentials")
          || lower.contains("denied")) {
        return "The registry refused `"
            + cli
            + " "
            + verb
            + "` (exit code "
            + exitCode
            + "): not logged in, or no "
            + "permission to push there. Set nss.registryServerId to the id of a settings.xml <server> with its "
            + "credentials, or log in with `"
            + cli
            + " login` before the build.";
      }
      if (lower.contains("http response to https client") || lower.contains("certificate")) {
        return "`"
            + cli
            + " "
            + verb
            + "` could not talk TLS to the registry (exit code "
            + exitCode
            + "): "
            + last
            + ". For a plain-HTTP registry set -Dnss.registryInsecure=true (docker: also list it in the "
            + "daemon's insecure-registries unless it is on 127.0.0.0/8).";
      }
    }
    if (output.contains("unresolvable CDI devices")) {
      return "The container did not start: podman found no CDI spec for the GPU devices ("
          + cli
          + " "
          + verb
          + " exit code "
          + exitCode
          + ": "
          + engineError(output)
          + "). "
          + PodmanGpus.noSpecFix();
    }
    if ((verb.equals("run") && exitCode == 125)
        || verb.equals("create")
        || engineRefusedStart(verb, exitCode, last)) {
      return "`"
          + cli
          + " "
          + verb
          + "` could not "
          + (verb.equals("create") ? "create" : "start")
          + " the container "
          + "(exit code "
          + exitCode
          + "; the engine's reason is above). Check the image name, nss.gpuFlag, "
          + "nss.extraMounts and nss.shmSize.";
    }
    boolean ran = verb.equals("run") || verb.equals("start");
    if (ran && (exitCode == 126 || exitCode == 127) && !engineError(output).isEmpty()) {
      // The engine's own 126/127 (the runtime could not exec the entrypoint): the program never
      // ran.
      return "The container engine could not start the container's command ("
          + cli
          + " exit code "
          + exitCode
          + ": "
          + engineError(output)
          + "); the program did not run. Check the image's entrypoint and nss.cmd.";
    }
    if (ran && (exitCode == 126 || exitCode == 127)) {
      return "The command in the container could not be "
          + (exitCode == 127 ? "found" : "executed")
          + " (exit code "
          + exitCode
          + "). Check nss.cmd and the image's entrypoint; if the program did run, it exited with "
          + exitCode
          + " itself.";
    }
    if (ran) {
      return "The container exited with code "
          + exitCode
          + " (`"
          + cli
          + " "
          + verb
          + "`)"
          + signal(exitCode)
          + ". See its output above; fix the command (nss.cmd) or the image and run again.";
    }
    return "`"
        + cli
        + " "
        + verb
        + "` failed with exit code "
        + exitCode
        + ". See its output above, fix the cause "
        + "and run again.";
  }

  /**
   * {@code start} itself failed, so the program never ran: docker then exits 1 after the daemon's
   * error, podman 125 after its own.
   */
  private static boolean engineRefusedStart(String verb, int exitCode, String last) {
    if (!verb.equals("start")) {
      return false;
    }
    return (exitCode == 1 && last.startsWith("Error response from daemon:"))
        || (exitCode == 125 && last.startsWith("Error: "));
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
