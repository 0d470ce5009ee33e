package dev.nss.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Maven process that owns a container, written on it as labels so that a container whose Maven
 * is gone (killed together with its keeper) can be recognised later ({@code nss:doctor}). A process
 * is named by its PID and start time (PIDs are reused), on one boot of one host.
 *
 * @param pid Maven's PID
 * @param startMillis when that process started, in milliseconds since the epoch (0 when unknown)
 * @param bootId the kernel's boot id ({@code /proc/sys/kernel/random/boot_id}), or {@code unknown}
 * @param host the host name, or {@code unknown}
 */
public record RunOwner(long pid, long startMillis, String bootId, String host) {

  public static final String PID_LABEL = "dev.nss.maven-pid";
  public static final String START_LABEL = "dev.nss.maven-start";
  public static final String BOOT_LABEL = "dev.nss.boot-id";
  public static final String HOST_LABEL = "dev.nss.host";

  /** This JVM. */
  public static RunOwner current() {
    return of(ProcessHandle.current(), Path::of, System::getenv);
  }

  /**
   * @param hostPath maps an absolute host path to where it can be read (the real path; a test root
   *     in tests)
   * @param environment the process environment ({@code HOSTNAME})
   */
  static RunOwner of(
      ProcessHandle process,
      Function<String, Path> hostPath,
      Function<String, String> environment) {
    return new RunOwner(
        process.pid(),
        startMillis(process),
        firstLine(hostPath.apply("/proc/sys/kernel/random/boot_id")),
        host(hostPath, environment));
  }

  /** The labels, {@code NAME=VALUE}. */
  public List<String> labels() {
    return List.of(
        PID_LABEL + "=" + pid,
        START_LABEL + "=" + startMillis,
        BOOT_LABEL + "=" + bootId,
        HOST_LABEL + "=" + host);
  }

  /** Reads an owner back from a container's labels; empty when they are not all there. */
  public static Optional<RunOwner> fromLabels(Map<String, String> labels) {
    try {
      String pid = labels.get(PID_LABEL);
      String start = labels.get(START_LABEL);
      String boot = labels.get(BOOT_LABEL);
      String host = labels.get(HOST_LABEL);
      if (pid == null || start == null || boot == null || host == null) {
        return Optional.empty();
      }
      return Optional.of(new RunOwner(Long.parseLong(pid), Long.parseLong(start), boot, host));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether this owner is certainly gone as seen from {@code here} (this machine now): same host,
   * and another boot or no process with that PID and start time. False when it may still run or
   * runs elsewhere.
   */
  public boolean isGoneAsSeenFrom(RunOwner here) {
    if (!host.equals(here.host) || host.equals("unknown")) {
      return false;
    }
    if (!bootId.equals(here.bootId) && !bootId.equals("unknown")) {
      return true;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    return process.isEmpty()
        || !process.get().isAlive()
        || (startMillis != 0 && startMillis(process.get()) != startMillis);
  }

  static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  private static String host(
      Function<String, Path> hostPath, Function<String, String> environment) {
    String fromKernel = firstLine(hostPath.apply("/proc/sys/kernel/hostname"));
    if (!fromKernel.equals("unknown")) {
      return fromKernel;
    }
    String env = environment.apply("HOSTNAME");
    return env == null || env.isBlank() ? "unknown" : env.strip();
  }

  private static String firstLine(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return text.isEmpty() ? "unknown" : text;
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
