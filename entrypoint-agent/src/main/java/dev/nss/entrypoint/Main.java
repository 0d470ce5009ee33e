package dev.nss.entrypoint;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code nss-entrypoint [ARGS...]}: the container checks, hints on stderr, then execv of the target
 * with ARGS byte for byte. Exit statuses of its own: 78 (strict mode found a warning), 127 (target
 * not found), 126 (target not executable or execv failed).
 */
public final class Main {
  private static final String PREFIX = Messages.PREFIX;

  /** EX_CONFIG from sysexits.h: the configuration is not fit to start. */
  static final int STRICT_FAILURE = 78;

  private static final String[] INFO_ONLY_ARGS = {"--help", "-h", "--version", "-V", "config"};

  private final Host host;
  private final Path devDir;
  private final Launcher launcher;

  Main(Host host, Path devDir, Launcher launcher) {
    this.host = host;
    this.devDir = devDir;
    this.launcher = launcher;
  }

  public static void main(String[] args) {
    // The JVM distribution's launcher script execs the target itself; a plain java start uses FFM.
    Launcher launcher = Boolean.getBoolean(ScriptExec.PROPERTY) ? new ScriptExec() : new Execv();
    Main main = new Main(new Host(), Path.of("/dev"), launcher);
    System.exit(main.run(System.getenv(), System.err, RawArgs.of(args)));
  }

  int run(Map<String, String> env, PrintStream err, List<byte[]> args) {
    List<Finding> findings = new ArrayList<>(8);
    String mode = mode(env.get("NSS_PREFLIGHT"), findings);
    String skipped = null;
    if ("off".equals(mode)) {
      skipped = "NSS_PREFLIGHT=off";
    } else if (isInfoOnly(args)) {
      skipped = "info-only command";
    } else {
      findings.addAll(new Preflight(env, host, devDir).runAll());
    }
    int warnings = 0;
    for (Finding finding : findings) {
      if (finding.level != Level.OK) {
        err.println(finding.line());
      }
      if (finding.level == Level.WARNING) {
        warnings++;
      }
    }
    String target = env.get("NSS_ENTRYPOINT_TARGET");
    if (target == null) {
      target = TargetResolver.DEFAULT_TARGET;
    }
    writeReport(env.get("NSS_PREFLIGHT_REPORT"), mode, skipped, target, findings, err);

    if ("strict".equals(mode) && warnings > 0) {
      err.println(
          PREFIX
              + "ERROR: NSS_PREFLIGHT=strict and "
              + warnings
              + (warnings == 1 ? " warning" : " warnings")
              + " above: not starting "
              + target
              + ". Fix: resolve the warnings, or run with -e NSS_PREFLIGHT=warn");
      err.flush();
      return STRICT_FAILURE;
    }

    TargetResolver.Resolution resolution = TargetResolver.resolve(target, env.get("PATH"));
    if (resolution.path == null) {
      err.println(PREFIX + "ERROR: " + resolution.message);
      err.flush();
      return resolution.status;
    }
    List<byte[]> argv = new ArrayList<>(args.size() + 1);
    argv.add(target.getBytes(StandardCharsets.UTF_8));
    argv.addAll(args);
    return launcher.exec(resolution.path, argv, err);
  }

  /** warn, strict or off; anything else runs as warn and adds a HINT saying so. */
  static String mode(String value, List<Finding> findings) {
    if (value == null || value.isBlank()) {
      return "warn";
    }
    String mode = value.strip().toLowerCase(Locale.ROOT);
    if (mode.equals("warn") || mode.equals("strict") || mode.equals("off")) {
      return mode;
    }
    findings.add(
        new Finding(
            "preflight-mode",
            Level.HINT,
            "NSS_PREFLIGHT="
                + value
                + " is not understood; running as warn. Fix: -e NSS_PREFLIGHT=warn (or strict, or off)"));
    return "warn";
  }

  static boolean isInfoOnly(List<byte[]> args) {
    for (byte[] arg : args) {
      for (String info : INFO_ONLY_ARGS) {
        if (asciiEquals(arg, info)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean asciiEquals(byte[] bytes, String ascii) {
    if (bytes.length != ascii.length()) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != (byte) ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static void writeReport(
      String file,
      String mode,
      String skipped,
      String target,
      List<Finding> findings,
      PrintStream err) {
    if (file == null || file.isBlank()) {
      return;
    }
    try {
      Report.write(Path.of(file), mode, skipped, target, findings);
    } catch (IOException | InvalidPathException | SecurityException e) {
      err.println(
          PREFIX
              + "HINT: cannot write the preflight report to "
              + file
              + " ("
              + Messages.describe(e)
              + "); starting anyway. Fix: -e NSS_PREFLIGHT_REPORT=/workspace/preflight.json (a writable path)");
    }
  }
}
