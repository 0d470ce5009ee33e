package dev.nss.slurm;

import dev.nss.container.RunSpec;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;

/**
 * The values a job script carries in its {@code #SBATCH} lines and its run line: each must reach
 * Slurm and the engine unchanged. Nothing here calls Slurm.
 */
final class ScriptValues {

  private ScriptValues() {}

  /**
   * Every value of nss:run-gpu's run that the job script holds, other than the program's arguments
   * (single-quoted, they arrive byte-exact): none may hold a control character. Checked before any
   * Slurm command runs.
   */
  public static void checkRun(RunSpec run) throws InvalidSettingException {
    noControl(
        PropertyNames.CONTAINER_CLI,
        run.cli(),
        "Set -D" + PropertyNames.CONTAINER_CLI + " to the CLI's path.");
    noControl(
        PropertyNames.IMAGE,
        run.image(),
        "Set -D" + PropertyNames.IMAGE + " to an image reference.");
    if (run.hfCache() != null) {
      noControl(
          PropertyNames.HF_CACHE,
          run.hfCache().toString(),
          "Set -D" + PropertyNames.HF_CACHE + " to a path without one.");
    }
    noControl(
        PropertyNames.PLATFORM,
        run.platform(),
        "Set -D" + PropertyNames.PLATFORM + " to e.g. linux/amd64.");
    noControl(
        PropertyNames.SHM_SIZE, run.shmSize(), "Set -D" + PropertyNames.SHM_SIZE + " to e.g. 1g.");
    for (String word : run.userFlags()) {
      noControl(
          PropertyNames.USER, word, "Set -D" + PropertyNames.USER + " to auto, none or UID:GID.");
    }
    for (String word : run.extraMounts()) {
      noControl(PropertyNames.EXTRA_MOUNTS, word, "Write the mounts without control characters.");
    }
    for (String name : run.passEnv()) {
      noControl("An environment variable passed to the container", name, "Rename it.");
    }
    noControl("The entrypoint", run.entrypoint(), "Remove the control character.");
  }

  /**
   * A value of an {@code #SBATCH} line: a control character (a newline ends the block, and every
   * option after it, {@code --export} too, is lost) or a backslash (sbatch reads it as an escape,
   * also inside quotes) would reach Slurm changed.
   */
  static void sbatchLineValue(String what, String value, String fix)
      throws InvalidSettingException {
    noControl(what, value, fix);
    if (value.indexOf('\\') >= 0) {
      throw new InvalidSettingException(
          what,
          value
              + " holds a backslash, which sbatch reads as an escape in the job script's #SBATCH lines",
          fix);
    }
  }

  private static void noControl(String what, String value, String fix)
      throws InvalidSettingException {
    if (value == null) {
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new InvalidSettingException(
            what,
            printable(value)
                + " holds a control character ("
                + String.format("U+%04X", (int) c)
                + "), which the job script cannot carry (a newline would end its #SBATCH lines)",
            fix);
      }
    }
  }

  /** {@code value} with each control character written as U+XXXX, for messages. */
  static String printable(String value) {
    StringBuilder b = new StringBuilder();
    value
        .chars()
        .forEach(
            c ->
                b.append(
                    Character.isISOControl(c)
                        ? String.format("<U+%04X>", c)
                        : String.valueOf((char) c)));
    return b.toString();
  }
}
