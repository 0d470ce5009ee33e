package dev.nss.container;

import java.util.List;
import java.util.Locale;

/** Turns a failed container command (exit code and the tail of its output) into a message that ends in the fix. */
final class FailureDiagnosis {

  private FailureDiagnosis() {}

  static String explain(List<String> argv, int exitCode, String output, String dockerHost) {
    String cli = argv.get(0);
    if (exitCode == 125 && output.contains("could not select device driver")) {
      return "The container engine has no GPU device driver (" + cli + " exit code 125: could not select device "
          + "driver). Install the NVIDIA Container Toolkit and run `sudo nvidia-ctk runtime configure --runtime=docker`, "
          + "then restart the engine; or run without a GPU with an empty nss.gpuFlag (-Dnss.gpuFlag=).";
    }
    // Case differs between clients: BuildKit in docker 20.10 says "failed to dial gRPC: cannot connect to the Docker
    // daemon. Is 'docker daemon' running on this host?".
    String lower = output.toLowerCase(Locale.ROOT);
    if (lower.contains("cannot connect to the docker daemon") || lower.contains("is the docker daemon running")
        || lower.contains("cannot connect to podman")) {
      return "The container engine is unreachable (" + cli + " exit code " + exitCode + ", DOCKER_HOST="
          + (dockerHost == null ? "<unset>" : dockerHost) + "). Start the engine (e.g. `sudo systemctl start docker` "
          + "or `podman system service`), or point DOCKER_HOST at a running one.";
    }
    if (output.contains("buildx component is missing")) {
      return "The docker client `" + cli + "` has BuildKit enabled but no buildx plugin (exit code " + exitCode
          + "). Use a docker client with buildx, or the engine's own client, e.g. -Dnss.containerCli=/usr/bin/docker.";
    }
    String verb = argv.size() > 1 ? argv.get(1) : "";
    if (verb.equals("run") && exitCode == 125) {
      return "`" + cli + " run` could not start the container (exit code 125; the engine's reason is above). Check "
          + "the image name, nss.gpuFlag, nss.extraMounts and nss.shmSize.";
    }
    if (verb.equals("run") && (exitCode == 126 || exitCode == 127)) {
      return "The command in the container could not be " + (exitCode == 127 ? "found" : "executed") + " (exit code "
          + exitCode + "). Check nss.cmd and the image's entrypoint; if the program did run, it exited with "
          + exitCode + " itself.";
    }
    if (verb.equals("run")) {
      return "The container exited with code " + exitCode + " (`" + cli + " run`)" + signal(exitCode)
          + ". See its output above; fix the command (nss.cmd) or the image and run again.";
    }
    return "`" + cli + " " + verb + "` failed with exit code " + exitCode + ". See its output above, fix the cause "
        + "and run again.";
  }

  /** Exit codes 129 to 192 are 128 + the number of the signal that ended the program. */
  private static String signal(int exitCode) {
    if (exitCode <= 128 || exitCode > 128 + 64) {
      return "";
    }
    int n = exitCode - 128;
    String name = switch (n) {
      case 1 -> " (SIGHUP)";
      case 2 -> " (SIGINT)";
      case 3 -> " (SIGQUIT)";
      case 6 -> " (SIGABRT)";
      case 9 -> " (SIGKILL; often the out-of-memory killer, or `docker stop` after its timeout)";
      case 11 -> " (SIGSEGV)";
      case 13 -> " (SIGPIPE)";
      case 15 -> " (SIGTERM)";
      default -> "";
    };
    return ": the program was ended by signal " + n + name;
  }
}
