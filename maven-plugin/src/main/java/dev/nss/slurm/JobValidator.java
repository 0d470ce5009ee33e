package dev.nss.slurm;

import static dev.nss.core.PropertyNames.SLURM_ACCOUNT;
import static dev.nss.core.PropertyNames.SLURM_ARRAY;
import static dev.nss.core.PropertyNames.SLURM_ARRAY_CONFIGS;
import static dev.nss.core.PropertyNames.SLURM_ARRAY_LIMIT;
import static dev.nss.core.PropertyNames.SLURM_COMMAND_TIMEOUT;
import static dev.nss.core.PropertyNames.SLURM_CONSTRAINT;
import static dev.nss.core.PropertyNames.SLURM_CPUS_PER_TASK;
import static dev.nss.core.PropertyNames.SLURM_DIRECTIVES;
import static dev.nss.core.PropertyNames.SLURM_ERROR;
import static dev.nss.core.PropertyNames.SLURM_GPUS;
import static dev.nss.core.PropertyNames.SLURM_JOB_NAME;
import static dev.nss.core.PropertyNames.SLURM_MEM;
import static dev.nss.core.PropertyNames.SLURM_OUTPUT;
import static dev.nss.core.PropertyNames.SLURM_PARTITION;
import static dev.nss.core.PropertyNames.SLURM_QOS;
import static dev.nss.core.PropertyNames.SLURM_TIME;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.core.ShellWords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks {@link SlurmSettings} and turns them into a {@link JobSpec}; nothing here calls Slurm. */
public final class JobValidator {

  /** Where the job script and the default output files go, under the build directory. */
  public static final String JOB_DIRECTORY = "nss-slurm";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern WORD = Pattern.compile("[^\\s\\p{Cntrl}'\"\\\\]+");
  private static final Pattern TIME =
      Pattern.compile("\\d+(?::\\d+){0,2}|\\d+-\\d+(?::\\d+){0,2}|UNLIMITED|INFINITE");
  private static final Pattern GPUS = Pattern.compile("\\d+|[A-Za-z0-9_.-]+:\\d+");
  private static final Pattern COUNT = Pattern.compile("[1-9]\\d{0,5}");
  private static final Pattern MEM = Pattern.compile("\\d+[KMGT]?");
  private static final Pattern OPTION = Pattern.compile("--?[A-Za-z][A-Za-z0-9-]*(?:=.*)?");

  private JobValidator() {}

  /**
   * @param basedir the project directory: the job's working directory, mounted at /workspace
   * @param buildDirectory where the script and the default output files go (under {@value
   *     #JOB_DIRECTORY})
   * @param command the command after the image, as nss:run-gpu would run it
   * @param exportNames the environment variables the job gets from the submitting environment, by
   *     name only
   */
  public static JobSpec job(
      SlurmSettings s,
      Path basedir,
      Path buildDirectory,
      List<String> command,
      List<String> exportNames)
      throws InvalidSettingException {
    ScriptValues.sbatchLineValue(
        "The project directory",
        basedir.toString(),
        "Move the project to a directory whose path has no control character and no backslash (it is the job's --chdir).");
    ScriptValues.sbatchLineValue(
        "The build directory (project.build.directory)",
        buildDirectory.toString(),
        "Set <build><directory> to a path without control characters and backslashes (the job script and its output go there).");
    String jobName =
        matching(SLURM_JOB_NAME, s.jobName, NAME, "a name of letters, digits, '.', '_' and '-'");
    List<List<String>> tasks = taskCommands(s, basedir, command);
    Path dir = buildDirectory.resolve(JOB_DIRECTORY);
    List<String> options = new ArrayList<>();
    options.add("--job-name=" + jobName);
    String partition = optional(SLURM_PARTITION, s.partition, WORD, "a partition name");
    addIfSet(options, "--partition=", partition);
    addIfSet(options, "--account=", optional(SLURM_ACCOUNT, s.account, WORD, "an account name"));
    addIfSet(options, "--qos=", optional(SLURM_QOS, s.qos, WORD, "a QOS name"));
    addIfSet(
        options,
        "--time=",
        optional(
            SLURM_TIME,
            s.time,
            TIME,
            "a Slurm time limit such as 30, 2:00:00 or 1-12:00:00 (minutes, h:m:s, days-h:m:s)"));
    String gpus =
        optional(SLURM_GPUS, s.gpus, GPUS, "a GPU count such as 1, or type:count such as a100:2");
    if (gpus != null && !gpus.equals("0")) {
      options.add("--gpus=" + gpus);
    }
    addIfSet(
        options,
        "--cpus-per-task=",
        optional(SLURM_CPUS_PER_TASK, s.cpusPerTask, COUNT, "a positive count"));
    addIfSet(
        options,
        "--mem=",
        optional(SLURM_MEM, s.mem, MEM, "a size in megabytes or with a unit, e.g. 32G"));
    addIfSet(
        options,
        "--constraint=",
        optional(
            SLURM_CONSTRAINT,
            s.constraint,
            WORD,
            "a node feature expression without spaces, e.g. a100|h100"));
    String defaultOutput = dir.resolve(tasks.size() > 1 ? "%x-%A_%a.out" : "%x-%j.out").toString();
    options.add("--output=" + ShellWords.quote(path(SLURM_OUTPUT, s.output, defaultOutput)));
    String error = path(SLURM_ERROR, s.error, null);
    if (error != null) {
      options.add("--error=" + ShellWords.quote(error));
    }
    options.add("--chdir=" + ShellWords.quote(basedir.toString()));
    options.add("--export=" + (exportNames.isEmpty() ? "NONE" : String.join(",", exportNames)));
    if (tasks.size() > 1) {
      String limit = optional(SLURM_ARRAY_LIMIT, s.arrayLimit, COUNT, "a positive count");
      options.add("--array=0-" + (tasks.size() - 1) + (limit == null ? "" : "%" + limit));
    }
    options.addAll(directives(s.directives));
    return new JobSpec(
        jobName,
        partition,
        options,
        tasks,
        s.wait,
        commandTimeout(s.commandTimeout),
        s.sharedImageStore,
        dir.resolve(jobName + ".sh"));
  }

  /**
   * The array's commands (nss.slurm.array), or one task per config file, or the one run-gpu
   * command.
   */
  private static List<List<String>> taskCommands(
      SlurmSettings s, Path basedir, List<String> command) throws InvalidSettingException {
    if (!s.array.isEmpty() && !s.arrayConfigs.isEmpty()) {
      throw new InvalidSettingException(
          SLURM_ARRAY,
          "is set together with " + SLURM_ARRAY_CONFIGS,
          "Set one of them: commands in "
              + SLURM_ARRAY
              + ", or config files in "
              + SLURM_ARRAY_CONFIGS
              + ".");
    }
    List<List<String>> tasks = new ArrayList<>();
    for (String line : s.array) {
      List<String> words = ShellWords.split(line, SLURM_ARRAY);
      if (words.isEmpty()) {
        throw new InvalidSettingException(
            SLURM_ARRAY,
            "has an empty entry (task " + tasks.size() + ")",
            "Give every task a command, e.g. run --config a.yaml.");
      }
      tasks.add(words);
    }
    if (!s.arrayConfigs.isEmpty() && command.equals(List.of("--help"))) {
      throw new InvalidSettingException(
          PropertyNames.CMD,
          "is --help, but with "
              + SLURM_ARRAY_CONFIGS
              + " each task runs the command with --config FILE appended",
          "Set -D"
              + PropertyNames.CMD
              + " to the subcommand that reads the config, e.g. -Dnss.cmd=run.");
    }
    for (String config : s.arrayConfigs) {
      List<String> task = new ArrayList<>(command);
      task.add("--config");
      task.add(workspacePath(basedir, config));
      tasks.add(task);
    }
    if (tasks.isEmpty()) {
      tasks.add(command);
    }
    return tasks;
  }

  /** A config file inside the project, as the container sees it from /workspace (relative). */
  private static String workspacePath(Path basedir, String config) throws InvalidSettingException {
    if (config == null || config.isBlank()) {
      throw new InvalidSettingException(
          SLURM_ARRAY_CONFIGS, "has an empty entry", "Remove it or name a file.");
    }
    Path file = basedir.resolve(config.strip()).normalize();
    if (!file.startsWith(basedir)) {
      throw new InvalidSettingException(
          SLURM_ARRAY_CONFIGS,
          config
              + " is outside the project directory "
              + basedir
              + ", which is the container's /workspace",
          "Copy the file into the project.");
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidSettingException(
          SLURM_ARRAY_CONFIGS, file + " is not a file", "Create it or fix the path.");
    }
    return basedir.relativize(file).toString();
  }

  /** nss.slurm.directives: each word one {@code #SBATCH} line, in the {@code --name=value} form. */
  private static List<String> directives(String value) throws InvalidSettingException {
    List<String> words = ShellWords.split(value, SLURM_DIRECTIVES);
    List<String> lines = new ArrayList<>();
    for (String word : words) {
      if (!OPTION.matcher(word).matches() || word.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidSettingException(
            SLURM_DIRECTIVES,
            "'" + ScriptValues.printable(word) + "' is not one sbatch option",
            "Write each option as one word, --name=value (e.g. --mail-type=END,FAIL --exclusive).");
      }
      if (word.indexOf('\\') >= 0) {
        throw new InvalidSettingException(
            SLURM_DIRECTIVES,
            "'" + word + "' holds a backslash, which sbatch reads as an escape in #SBATCH lines",
            "Write the value without '\\'.");
      }
      int eq = word.indexOf('=');
      lines.add(
          eq < 0 ? word : word.substring(0, eq + 1) + ShellWords.quote(word.substring(eq + 1)));
    }
    return lines;
  }

  private static Duration commandTimeout(String value) throws InvalidSettingException {
    String v = matching(SLURM_COMMAND_TIMEOUT, value, COUNT, "a number of seconds such as 30");
    return Duration.ofSeconds(Long.parseLong(v));
  }

  /** A path for #SBATCH (Slurm's %-patterns allowed); null or blank gives {@code fallback}. */
  private static String path(String property, String value, String fallback)
      throws InvalidSettingException {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    ScriptValues.sbatchLineValue(
        property,
        value.strip(),
        "Set -D" + property + " to a path without control characters and backslashes.");
    return value.strip();
  }

  private static void addIfSet(List<String> options, String prefix, String value) {
    if (value != null) {
      options.add(prefix + value);
    }
  }

  private static String optional(String property, String value, Pattern pattern, String expected)
      throws InvalidSettingException {
    return value == null || value.isBlank() ? null : matching(property, value, pattern, expected);
  }

  private static String matching(String property, String value, Pattern pattern, String expected)
      throws InvalidSettingException {
    String v = value == null ? "" : value.strip();
    if (!pattern.matcher(v).matches()) {
      throw new InvalidSettingException(
          property,
          "'" + v + "' is not " + expected,
          "Set -D" + property + " to " + expected + ".");
    }
    return v;
  }
}
