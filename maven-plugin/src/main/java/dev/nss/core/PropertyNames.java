package dev.nss.core;

/**
 * Every {@code nss.*} property of the plugin and, where it has one, its default ({@code
 * NAME_DEFAULT}): the Mojos' {@code @Parameter}s, the core's checks and messages, and
 * docs/goals.md's settings table (checked by a test) all name properties through this class. A
 * property without a {@code _DEFAULT} constant has no fixed default (unset, or computed by the
 * goal, as documented in its Mojo).
 */
public final class PropertyNames {

  // Every goal.
  public static final String SKIP = "nss.skip";
  public static final String SKIP_DEFAULT = "false";
  public static final String DRY_RUN = "nss.dryRun";
  public static final String DRY_RUN_DEFAULT = "false";
  public static final String CONTAINER_CLI = "nss.containerCli";
  public static final String CONTEXT = "nss.context";
  public static final String CONTEXT_DEFAULT = "${project.basedir}";
  public static final String HF_CACHE = "nss.hfCache";
  public static final String HF_CACHE_DEFAULT = "${user.home}/.cache/huggingface";
  public static final String GPU_FLAG = "nss.gpuFlag";
  public static final String GPU_FLAG_DEFAULT = "--gpus all";
  public static final String ENGINE_TIMEOUT = "nss.engineTimeout";
  public static final String ENGINE_TIMEOUT_DEFAULT = "60";

  // Builds.
  public static final String DOCKERFILE = "nss.dockerfile";
  public static final String TEST_DOCKERFILE = "nss.testDockerfile";
  public static final String IMAGE = "nss.image";
  public static final String IMAGE_DEFAULT = "nss-gpu:latest";
  public static final String IMAGE_DEV = "nss.imageDev";
  public static final String IMAGE_DEV_DEFAULT = "nss-gpu-dev:latest";
  public static final String TEST_IMAGE = "nss.testImage";
  public static final String TEST_IMAGE_DEFAULT = "nss-test:latest";
  public static final String PLATFORM = "nss.platform";
  public static final String PLATFORM_DEFAULT = "linux/amd64";
  public static final String CUDA_VERSION = "nss.cudaVersion";
  public static final String UBUNTU_VERSION = "nss.ubuntuVersion";
  public static final String CUDA_IMAGE_TYPE = "nss.cudaImageType";
  public static final String PYTHON_VERSION = "nss.pythonVersion";
  public static final String UV_VERSION = "nss.uvVersion";
  public static final String CUDA_ARCH_FLAGS = "nss.cudaArchFlags";
  public static final String ENTRYPOINT_BUILD = "nss.entrypointBuild";
  public static final String CACHE_FROM = "nss.cacheFrom";
  public static final String CACHE_TO = "nss.cacheTo";
  public static final String NO_CACHE = "nss.noCache";
  public static final String NO_CACHE_DEFAULT = "false";

  // Multi-platform builds.
  public static final String REGISTRY = "nss.registry";
  public static final String PLATFORMS = "nss.platforms";
  public static final String PLATFORMS_DEFAULT = "linux/amd64,linux/arm64";
  public static final String BUILDER = "nss.builder";
  public static final String REGISTRY_SERVER_ID = "nss.registryServerId";

  // Pushes (push-gpu, push-gpu-dev, multi-platform builds).
  public static final String TAGS = "nss.tags";
  public static final String TAG_VARIANT = "nss.tagVariant";
  public static final String REGISTRY_INSECURE = "nss.registryInsecure";
  public static final String REGISTRY_INSECURE_DEFAULT = "false";

  // Runs.
  public static final String EXTRA_MOUNTS = "nss.extraMounts";
  public static final String CMD = "nss.cmd";
  public static final String SHM_SIZE = "nss.shmSize";
  public static final String SHM_SIZE_DEFAULT = "1g";
  public static final String SKIP_BUILD = "nss.skipBuild";
  public static final String SKIP_BUILD_DEFAULT = "false";
  public static final String PULL = "nss.pull";
  public static final String PULL_DEFAULT = "missing";
  public static final String INTERACTIVE = "nss.interactive";
  public static final String USER = "nss.user";
  public static final String USER_DEFAULT = "auto";

  // init.
  public static final String FORCE = "nss.force";
  public static final String FORCE_DEFAULT = "false";
  public static final String CONTAINERS_DIRECTORY = "nss.containersDirectory";
  public static final String CONTAINERS_DIRECTORY_DEFAULT = "${project.basedir}/containers";

  // doctor.
  public static final String DOCTOR_FAIL_ON = "nss.doctor.failOn";
  public static final String DOCTOR_FAIL_ON_DEFAULT = "error";
  public static final String DOCTOR_CHECKS = "nss.doctor.checks";
  public static final String DOCTOR_MIN_FREE_DISK = "nss.doctor.minFreeDisk";
  public static final String DOCTOR_MIN_FREE_DISK_DEFAULT = "40G";
  public static final String DOCTOR_MIN_GPU_MEMORY = "nss.doctor.minGpuMemory";
  public static final String DOCTOR_TIMEOUT = "nss.doctor.timeout";
  public static final String DOCTOR_TIMEOUT_DEFAULT = "30";
  public static final String DOCTOR_REPORT = "nss.doctor.report";
  public static final String DOCTOR_REPORT_DEFAULT = "${project.build.directory}/nss-doctor.json";

  // submit-slurm.
  public static final String SLURM_PARTITION = "nss.slurm.partition";
  public static final String SLURM_ACCOUNT = "nss.slurm.account";
  public static final String SLURM_QOS = "nss.slurm.qos";
  public static final String SLURM_TIME = "nss.slurm.time";
  public static final String SLURM_GPUS = "nss.slurm.gpus";
  public static final String SLURM_GPUS_DEFAULT = "1";
  public static final String SLURM_CPUS_PER_TASK = "nss.slurm.cpusPerTask";
  public static final String SLURM_MEM = "nss.slurm.mem";
  public static final String SLURM_CONSTRAINT = "nss.slurm.constraint";
  public static final String SLURM_JOB_NAME = "nss.slurm.jobName";
  public static final String SLURM_JOB_NAME_DEFAULT = "nss-run";
  public static final String SLURM_DIRECTIVES = "nss.slurm.directives";
  public static final String SLURM_OUTPUT = "nss.slurm.output";
  public static final String SLURM_ERROR = "nss.slurm.error";
  public static final String SLURM_WAIT = "nss.slurm.wait";
  public static final String SLURM_WAIT_DEFAULT = "true";
  public static final String SLURM_ARRAY = "nss.slurm.array";
  public static final String SLURM_ARRAY_CONFIGS = "nss.slurm.arrayConfigs";
  public static final String SLURM_ARRAY_LIMIT = "nss.slurm.arrayLimit";
  public static final String SLURM_COMMAND_TIMEOUT = "nss.slurm.commandTimeout";
  public static final String SLURM_COMMAND_TIMEOUT_DEFAULT = "30";
  public static final String SLURM_SHARED_IMAGE_STORE = "nss.slurm.sharedImageStore";
  public static final String SLURM_SHARED_IMAGE_STORE_DEFAULT = "false";

  private PropertyNames() {}

  /** {@link #HF_CACHE_DEFAULT} outside Maven: the cache under {@code home}. */
  public static String hfCacheDefault(String home) {
    return home + "/.cache/huggingface";
  }
}
