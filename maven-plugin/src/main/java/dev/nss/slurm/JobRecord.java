package dev.nss.slurm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One record of {@code scontrol show job}: a job, or one task of an array. Values are as Slurm
 * prints them.
 *
 * @param fields every {@code Key=Value} of the record
 */
public record JobRecord(Map<String, String> fields) {

  /** Keys whose value runs to the end of their line and may contain spaces. */
  private static final Set<String> WHOLE_LINE =
      Set.of("Command", "WorkDir", "StdErr", "StdIn", "StdOut", "Comment");

  /** States after which the job never runs again. */
  private static final Set<String> FINAL =
      Set.of(
          "COMPLETED",
          "FAILED",
          "CANCELLED",
          "TIMEOUT",
          "NODE_FAIL",
          "OUT_OF_MEMORY",
          "PREEMPTED",
          "BOOT_FAIL",
          "DEADLINE",
          "SPECIAL_EXIT",
          "REVOKED");

  /** Parses the output of {@code scontrol show job}: records are separated by blank lines. */
  public static List<JobRecord> parse(String text) {
    List<JobRecord> records = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : text.split("\n", -1)) {
      String stripped = line.strip();
      if (stripped.isEmpty()) {
        if (!fields.isEmpty()) {
          records.add(new JobRecord(fields));
          fields = new LinkedHashMap<>();
        }
        continue;
      }
      int eq = stripped.indexOf('=');
      if (eq > 0 && WHOLE_LINE.contains(stripped.substring(0, eq))) {
        fields.put(stripped.substring(0, eq), stripped.substring(eq + 1));
        continue;
      }
      for (String token : stripped.split("\\s+")) {
        int i = token.indexOf('=');
        if (i > 0) {
          fields.put(token.substring(0, i), token.substring(i + 1));
        }
      }
    }
    if (!fields.isEmpty()) {
      records.add(new JobRecord(fields));
    }
    return records;
  }

  public String get(String key) {
    return fields.getOrDefault(key, "");
  }

  public String jobId() {
    return get("JobId");
  }

  public String state() {
    return get("JobState");
  }

  /**
   * The array task id ({@code 2}), a range of pending tasks ({@code 1-3%2}), or empty for a plain
   * job.
   */
  public String arrayTaskId() {
    String id = get("ArrayTaskId");
    return id.equals("N/A") ? "" : id;
  }

  public boolean finished() {
    return FINAL.contains(state());
  }

  public boolean running() {
    return state().equals("RUNNING") || state().equals("COMPLETING");
  }

  /** The exit status of the batch script ({@code ExitCode=3:0} gives 3). */
  public int exitCode() {
    return part(0);
  }

  /** The signal that ended the batch script, 0 if none ({@code ExitCode=0:15} gives 15). */
  public int signal() {
    return part(1);
  }

  private int part(int index) {
    String[] parts = get("ExitCode").split(":");
    try {
      return parts.length > index ? Integer.parseInt(parts[index]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
