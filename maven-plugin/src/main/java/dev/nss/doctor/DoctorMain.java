package dev.nss.doctor;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * The doctor without Maven:
 *
 * <pre>
 * java -cp nss-maven-plugin.jar:oshi-core.jar:jna.jar:jna-platform.jar:slf4j-api.jar dev.nss.doctor.DoctorMain \
 *     [--json FILE] [--checks a,b] [--fail-on error|warning|never] [--cli PATH] [--hf-cache DIR]
 *     [--min-free-disk 40G] [--gpu-flag "--gpus all"] [--timeout SECONDS] [--list]
 *     [--cuda-version 12.8.1] [--cuda-arch-flags "80;86;90;90a"] [--min-gpu-memory 40G]
 *     [--image nss-gpu:latest]
 * </pre>
 *
 * Exit status: 0 when the report passes its {@code --fail-on} policy, 1 when it fails, 2 for bad
 * arguments.
 */
public final class DoctorMain {

  static final int PASSED = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final String USAGE_TEXT =
      "usage: DoctorMain [--json FILE] [--checks a,b] [--fail-on error|warning|never] [--cli PATH]\n"
          + "                  [--hf-cache DIR] [--min-free-disk SIZE] [--gpu-flag FLAG] [--timeout SECONDS]"
          + " [--list]\n"
          + "                  [--cuda-version X.Y.Z] [--cuda-arch-flags FLAGS] [--min-gpu-memory SIZE]\n"
          + "                  [--image REF]";

  /** Error messages name this program's options, not Maven's properties. */
  private static final DoctorSettings.Spelling OPTIONS =
      new DoctorSettings.Spelling() {
        private final Map<String, String> options =
            Map.ofEntries(
                Map.entry(PropertyNames.DOCTOR_CHECKS, "--checks"),
                Map.entry(PropertyNames.DOCTOR_FAIL_ON, "--fail-on"),
                Map.entry(PropertyNames.CONTAINER_CLI, "--cli"),
                Map.entry(PropertyNames.HF_CACHE, "--hf-cache"),
                Map.entry(PropertyNames.DOCTOR_MIN_FREE_DISK, "--min-free-disk"),
                Map.entry(PropertyNames.GPU_FLAG, "--gpu-flag"),
                Map.entry(PropertyNames.DOCTOR_TIMEOUT, "--timeout"),
                Map.entry(PropertyNames.CUDA_VERSION, "--cuda-version"),
                Map.entry(PropertyNames.CUDA_ARCH_FLAGS, "--cuda-arch-flags"),
                Map.entry(PropertyNames.DOCTOR_MIN_GPU_MEMORY, "--min-gpu-memory"),
                Map.entry(PropertyNames.IMAGE, "--image"));

        @Override
        public String name(String property) {
          return options.getOrDefault(property, property);
        }

        @Override
        public String example(String property, String value) {
          return name(property) + " " + value;
        }
      };

  private final DoctorEnvironment environment;

  DoctorMain(DoctorEnvironment environment) {
    this.environment = environment;
  }

  public static void main(String[] args) {
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      // Without a logging backend slf4j says so on stderr; OSHI's log lines are not for this report
      // anyway.
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    Map<String, String> env = System.getenv();
    int status = new DoctorMain(DoctorEnvironment.system(env)).run(System.out, System.err, args);
    System.exit(status);
  }

  int run(PrintStream out, PrintStream err, String... args) {
    String home = environment.env().getOrDefault("HOME", System.getProperty("user.home"));
    DoctorSettings.Builder settings =
        DoctorSettings.builder().spelling(OPTIONS).hfCache(PropertyNames.hfCacheDefault(home));
    Path json = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg;
        String value = null;
        if (arg.startsWith("--") && arg.contains("=")) {
          name = arg.substring(0, arg.indexOf('='));
          value = arg.substring(arg.indexOf('=') + 1);
        }
        switch (name) {
          case "--help":
          case "-h":
            out.println(USAGE_TEXT);
            return PASSED;
          case "--list":
            for (Check check : Checks.all()) {
              out.println(String.format("%-15s %s", check.id(), check.description()));
            }
            return PASSED;
          default:
            break;
        }
        if (value == null) {
          if (!name.startsWith("--") || i + 1 >= args.length) {
            err.println("DoctorMain: unknown or incomplete argument '" + arg + "'");
            err.println(USAGE_TEXT);
            return USAGE;
          }
          value = args[++i];
        }
        switch (name) {
          case "--json":
            json = Paths.get(value);
            break;
          case "--checks":
            settings.checks(value);
            break;
          case "--fail-on":
            settings.failOn(value);
            break;
          case "--cli":
            settings.containerCli(value);
            break;
          case "--hf-cache":
            settings.hfCache(value);
            break;
          case "--min-free-disk":
            settings.minFreeDisk(value);
            break;
          case "--gpu-flag":
            settings.gpuFlag(value);
            break;
          case "--timeout":
            settings.timeout(value);
            break;
          case "--cuda-version":
            settings.cudaVersion(value);
            break;
          case "--cuda-arch-flags":
            settings.cudaArchFlags(value);
            break;
          case "--min-gpu-memory":
            settings.minGpuMemory(value);
            break;
          case "--image":
            settings.image(value);
            break;
          default:
            err.println("DoctorMain: unknown option '" + name + "'");
            err.println(USAGE_TEXT);
            return USAGE;
        }
      }
      DoctorReport report = new Doctor(settings.build(), environment).run();
      for (String line : ReportTable.console(report)) {
        out.println(line);
      }
      if (json != null) {
        ReportJson.write(report, json);
        out.println("report: " + json.toAbsolutePath());
      }
      return report.failed() ? FAILED : PASSED;
    } catch (InvalidSettingException e) {
      err.println("DoctorMain: " + e.getMessage());
      return USAGE;
    } catch (IOException e) {
      err.println("DoctorMain: cannot write the JSON report: " + e.getMessage());
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("DoctorMain: interrupted");
      return FAILED;
    }
  }
}
