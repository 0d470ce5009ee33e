package dev.nss.doctor;

import dev.nss.core.Command;
import dev.nss.core.CommandResult;
import dev.nss.core.CommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers commands from canned results keyed by the argv with the program reduced to its file name,
 * e.g. {@code docker info --format {{json .}}}; records every command it was asked to run.
 */
public final class FakeCommandRunner implements CommandRunner {

  private final Map<String, CommandResult> answers = new LinkedHashMap<>();
  private final List<Command> commands = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean hang;

  public FakeCommandRunner answer(String key, CommandResult result) {
    answers.put(key, result);
    return this;
  }

  public FakeCommandRunner answer(String key, int exitCode, String stdout, String stderr) {
    return answer(key, CommandResult.exited(exitCode, stdout, stderr));
  }

  /** Every command blocks until the calling thread is interrupted, like a hung engine. */
  public FakeCommandRunner hang() {
    hang = true;
    return this;
  }

  public List<Command> commands() {
    return List.copyOf(commands);
  }

  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (Command c : commands()) {
      keys.add(key(c.argv()));
    }
    return keys;
  }

  @Override
  public CommandResult run(Command command) throws InterruptedException {
    commands.add(command);
    if (hang) {
      Thread.sleep(Long.MAX_VALUE);
    }
    CommandResult answer = answers.get(key(command.argv()));
    return answer != null
        ? answer
        : CommandResult.notStarted("fake: no answer for " + key(command.argv()));
  }

  static String key(List<String> argv) {
    List<String> parts = new ArrayList<>(argv);
    parts.set(0, Path.of(parts.get(0)).getFileName().toString());
    return String.join(" ", parts);
  }

  /** A test resource under {@code /doctor/}, e.g. {@code docker/info-client-20.10.json}. */
  public static String resource(String name) {
    try (InputStream in = FakeCommandRunner.class.getResourceAsStream("/doctor/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource /doctor/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
