package dev.nss.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An external command the doctor runs: argv only, never a shell.
 *
 * @param argv program and arguments
 * @param extraEnv variables added to the inherited environment (e.g. {@code DOCKER_BUILDKIT=1})
 * @param stdin bytes written to the command's standard input, then closed; empty for none
 * @param timeout how long it may run before it is destroyed
 */
public record Command(
    List<String> argv, Map<String, String> extraEnv, String stdin, Duration timeout) {

  public Command {
    argv = List.copyOf(argv);
    extraEnv = Map.copyOf(extraEnv);
    stdin = stdin == null ? "" : stdin;
  }

  public static Command of(Duration timeout, String... argv) {
    return new Command(List.of(argv), Map.of(), "", timeout);
  }
}
