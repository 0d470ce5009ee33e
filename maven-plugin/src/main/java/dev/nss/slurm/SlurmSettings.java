package dev.nss.slurm;

import dev.nss.core.PropertyNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw {@code nss.slurm.*} settings of {@code nss:submit-slurm}, as the user gave them. {@link
 * JobValidator} checks them and turns them into a {@link JobSpec}. A setting not given keeps its
 * default from {@link PropertyNames}.
 */
public final class SlurmSettings {

  String partition;
  String account;
  String qos;
  String time;
  String gpus = PropertyNames.SLURM_GPUS_DEFAULT;
  String cpusPerTask;
  String mem;
  String constraint;
  String jobName = PropertyNames.SLURM_JOB_NAME_DEFAULT;
  String directives;
  String output;
  String error;
  boolean wait = Boolean.parseBoolean(PropertyNames.SLURM_WAIT_DEFAULT);
  List<String> array = new ArrayList<>();
  List<String> arrayConfigs = new ArrayList<>();
  String arrayLimit;
  String commandTimeout = PropertyNames.SLURM_COMMAND_TIMEOUT_DEFAULT;
  boolean sharedImageStore = Boolean.parseBoolean(PropertyNames.SLURM_SHARED_IMAGE_STORE_DEFAULT);

  public SlurmSettings partition(String value) {
    partition = value;
    return this;
  }

  public SlurmSettings account(String value) {
    account = value;
    return this;
  }

  public SlurmSettings qos(String value) {
    qos = value;
    return this;
  }

  /** Slurm's time formats: {@code minutes}, {@code [days-]hours:minutes:seconds}, ... */
  public SlurmSettings time(String value) {
    time = value;
    return this;
  }

  /** GPUs per job: a count, or {@code type:count}; 0 asks for none. */
  public SlurmSettings gpus(String value) {
    gpus = value;
    return this;
  }

  public SlurmSettings cpusPerTask(String value) {
    cpusPerTask = value;
    return this;
  }

  public SlurmSettings mem(String value) {
    mem = value;
    return this;
  }

  public SlurmSettings constraint(String value) {
    constraint = value;
    return this;
  }

  public SlurmSettings jobName(String value) {
    jobName = value;
    return this;
  }

  /** More {@code #SBATCH} options, split like shell words, each {@code --name[=value]}. */
  public SlurmSettings directives(String value) {
    directives = value;
    return this;
  }

  public SlurmSettings output(String value) {
    output = value;
    return this;
  }

  public SlurmSettings error(String value) {
    error = value;
    return this;
  }

  public SlurmSettings await(boolean value) {
    wait = value;
    return this;
  }

  /** One command line per array task, split like shell words. */
  public SlurmSettings array(List<String> value) {
    array = value == null ? new ArrayList<>() : new ArrayList<>(value);
    return this;
  }

  /**
   * One config file per array task: each task runs the command with {@code --config FILE} appended.
   */
  public SlurmSettings arrayConfigs(List<String> value) {
    arrayConfigs = value == null ? new ArrayList<>() : new ArrayList<>(value);
    return this;
  }

  public SlurmSettings arrayLimit(String value) {
    arrayLimit = value;
    return this;
  }

  /** Seconds each Slurm command may take. */
  public SlurmSettings commandTimeout(String value) {
    commandTimeout = value;
    return this;
  }

  /**
   * The nodes share this machine's image store (or pull the image themselves): skip the
   * reachability check.
   */
  public SlurmSettings sharedImageStore(boolean value) {
    sharedImageStore = value;
    return this;
  }
}
