package dev.nss.it;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Maven run printed: its own log and the build/container output on stdout, the rest (e.g.
 * the container's stderr) on stderr; and how long the wait for its end took.
 */
public record BuildLog(int exitCode, String stdout, String stderr, long waitedMillis) {

  private static final String REPORT = "SAFE-SYNTHESIZER-REPORT ";

  public boolean succeeded() {
    return exitCode == 0 && stdout.contains("BUILD SUCCESS");
  }

  public String all() {
    return stdout + stderr;
  }

  /** Both streams, for assertion messages. */
  public String describe() {
    return "exit code " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
  }

  /** The sample program's report from its one stdout line. */
  public Map<String, Object> report() {
    return stdout
        .lines()
        .filter(l -> l.startsWith(REPORT))
        .findFirst()
        .map(l -> Json.object(l.substring(REPORT.length())))
        .orElseThrow(() -> new AssertionError("no " + REPORT + "line on stdout:\n" + describe()));
  }

  /**
   * Whether the builder reused a step, from its plain output as Maven logs it (with or without an
   * {@code [INFO] } prefix). BuildKit: the step's line {@code #N [stage i/n] TEXT} followed
   * somewhere by {@code #N CACHED}. Buildah: {@code [i/n] STEP j/m: TEXT} whose next {@code -->}
   * line is {@code --> Using cache}. Empty when no step contains {@code stepText}.
   */
  public Optional<Boolean> stepCached(String stepText) {
    Matcher m = Pattern.compile("(?m)^(?:\\[INFO\\] )?#(\\d+) \\[[^\\]]+\\] (.*)$").matcher(stdout);
    while (m.find()) {
      if (m.group(2).contains(stepText)) {
        Pattern cached = Pattern.compile("(?m)^(?:\\[INFO\\] )?#" + m.group(1) + " CACHED$");
        return Optional.of(cached.matcher(stdout).find());
      }
    }
    Matcher step =
        Pattern.compile("(?m)^(?:\\[INFO\\] )?(?:\\[\\d+/\\d+\\] )?STEP \\d+/\\d+: (.*)$")
            .matcher(stdout);
    while (step.find()) {
      if (step.group(1).contains(stepText)) {
        Matcher next = Pattern.compile("(?m)^(?:\\[INFO\\] )?--> (.*)$").matcher(stdout);
        return Optional.of(next.find(step.end()) && next.group(1).startsWith("Using cache"));
      }
    }
    return Optional.empty();
  }

  /** The value after {@code --name} in the logged {@code run} command line. */
  public Optional<String> containerName() {
    Matcher m = Pattern.compile("\\bcreate (?:--rm )?--name (nss-run-[0-9a-f]+)").matcher(stdout);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Lines that look like a Java stack trace frame. */
  public List<String> stackTraceLines() {
    return all().lines().filter(l -> l.matches("\\s+at [\\w.$]+\\(.*\\)")).toList();
  }
}
