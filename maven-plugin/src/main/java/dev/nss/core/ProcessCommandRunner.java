package dev.nss.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Runs commands as child processes, reading both streams and destroying them on timeout. */
public final class ProcessCommandRunner implements CommandRunner {

  /** Output beyond this is dropped: the checks need the first lines only. */
  private static final int MAX_CAPTURE = 1 << 20;

  private final Function<List<String>, ProcessBuilder> processBuilders;

  /** Uses {@code new ProcessBuilder(argv)}. */
  public ProcessCommandRunner() {
    this(ProcessBuilder::new);
  }

  /**
   * @param processBuilders makes the builder for an argv; tests use it to change the environment or
   *     the program
   */
  public ProcessCommandRunner(Function<List<String>, ProcessBuilder> processBuilders) {
    this.processBuilders = processBuilders;
  }

  @Override
  public CommandResult run(Command command) throws InterruptedException {
    ProcessBuilder builder = processBuilders.apply(command.argv());
    builder.environment().putAll(command.extraEnv());
    if (command.stdin().isEmpty()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return CommandResult.notStarted(
          "cannot run " + command.argv().get(0) + ": " + e.getMessage());
    }
    Capture out = new Capture(process.getInputStream());
    Capture err = new Capture(process.getErrorStream());
    try {
      if (!command.stdin().isEmpty()) {
        writeStdin(process, command.stdin());
      }
      if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        destroy(process);
        return CommandResult.timedOut(command.timeout(), out.text(), err.text());
      }
      // A grandchild may hold the pipes open after the command exited: wait for the readers only
      // briefly.
      out.join(2000);
      err.join(2000);
      return CommandResult.exited(process.exitValue(), out.text(), err.text());
    } catch (InterruptedException e) {
      destroy(process);
      throw e;
    }
  }

  private static void writeStdin(Process process, String stdin) {
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The command closed its input early; its exit status and stderr tell why.
    }
  }

  /**
   * Ends the command with its descendants and, when it leads a process group of its own (started
   * through {@code setsid}), every process of that group: a child that left the tree is ended too.
   */
  private static void destroy(Process process) {
    List<ProcessHandle> group = groupMembers(process.pid());
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    group.forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * The processes whose process group is {@code pgid} (Linux's {@code /proc/PID/stat}); none where
   * there is no {@code /proc}, or when {@code pgid} leads no group (a child in Maven's own group).
   */
  static List<ProcessHandle> groupMembers(long pgid) {
    if (processGroup(pgid) != pgid) {
      return List.of();
    }
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != pgid && processGroup(p.pid()) == pgid)
        .toList();
  }

  /** The process group of {@code pid}, or -1 when it cannot be read. */
  static long processGroup(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the
      // last ')'
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * One of the process's streams, read to its end (or {@link #MAX_CAPTURE}) on a thread of its own.
   */
  private static final class Capture {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread pump;

    Capture(InputStream stream) {
      pump = Streams.copyInBackground(stream, this::keep, "nss-doctor-capture");
    }

    private void keep(byte[] buffer, int length) {
      synchronized (bytes) {
        bytes.write(buffer, 0, Math.min(length, MAX_CAPTURE - bytes.size()));
      }
    }

    void join(long millis) throws InterruptedException {
      pump.join(millis);
    }

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
