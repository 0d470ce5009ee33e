package dev.nss.maven;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.doctor.Doctor;
import dev.nss.doctor.DoctorEnvironment;
import dev.nss.doctor.DoctorFailedException;
import dev.nss.doctor.DoctorReport;
import dev.nss.doctor.DoctorSettings;
import dev.nss.doctor.ReportJson;
import dev.nss.doctor.ReportTable;
import dev.nss.doctor.Status;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks this host before a build or run: container CLI, engine, BuildKit, buildx, NVIDIA runtime,
 * GPUs, HF cache, HF token, disk and memory. Prints a table and writes {@code
 * target/nss-doctor.json}.
 *
 * @since 0.1.0
 */
@Mojo(name = "doctor", threadSafe = true, requiresProject = false)
public class DoctorMojo extends NssMojo {

  /**
   * Which findings fail the build: {@code error}, {@code warning} or {@code never}.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = PropertyNames.DOCTOR_FAIL_ON,
      defaultValue = PropertyNames.DOCTOR_FAIL_ON_DEFAULT)
  String failOn;

  /**
   * A comma-separated subset of the check ids to run (all when empty): cli, engine, buildkit,
   * buildx, nvidia-runtime, gpu, hf-cache, hf-token, disk, memory.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DOCTOR_CHECKS)
  String checks;

  /**
   * The least free space where the engine stores images, e.g. {@code 40G}, {@code 40GiB}, {@code
   * 500M} (binary units).
   *
   * @since 0.1.0
   */
  @Parameter(
      property = PropertyNames.DOCTOR_MIN_FREE_DISK,
      defaultValue = PropertyNames.DOCTOR_MIN_FREE_DISK_DEFAULT)
  String minFreeDisk;

  /**
   * The image's CUDA version as the build goals would pass it (build argument {@code
   * CUDA_VERSION}); when empty, the default of {@code containers/Dockerfile.cuda} (the project's,
   * else the bundled one). The {@code cuda-driver} check compares it with the driver's.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CUDA_VERSION)
  String cudaVersion;

  /**
   * The GPU architectures the image is built for as the build goals would pass them (build argument
   * {@code CUDA_ARCH_FLAGS}); when empty, the Dockerfile's default. The {@code gpu-arch} check
   * compares them with each GPU's compute capability.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CUDA_ARCH_FLAGS)
  String cudaArchFlags;

  /**
   * The least memory of each GPU, e.g. {@code 40G} (binary units); a smaller GPU fails the {@code
   * gpu-memory} check. Empty: no minimum, the memory is only reported.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DOCTOR_MIN_GPU_MEMORY)
  String minGpuMemory;

  /**
   * The runtime image the run goals start. When the engine has it, the {@code cuda-driver} check
   * takes the image's CUDA version from its environment ({@code CUDA_VERSION}, else {@code
   * NVIDIA_REQUIRE_CUDA}) instead of the build settings; one {@code image inspect}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.IMAGE, defaultValue = PropertyNames.IMAGE_DEFAULT)
  String image;

  /**
   * The limit in seconds for each check; a check still running then is stopped and reported as an
   * error.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = PropertyNames.DOCTOR_TIMEOUT,
      defaultValue = PropertyNames.DOCTOR_TIMEOUT_DEFAULT)
  String timeout;

  /**
   * Where the JSON report goes; outside a project, {@code target/nss-doctor.json} of the current
   * directory.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = PropertyNames.DOCTOR_REPORT,
      defaultValue = PropertyNames.DOCTOR_REPORT_DEFAULT)
  File report;

  /** Where Maven was started: the base for the report when there is no project. */
  @Parameter(defaultValue = "${session.executionRootDirectory}", readonly = true)
  File executionRoot;

  private final Supplier<DoctorEnvironment> environment;

  @Inject
  public DoctorMojo() {
    this(DoctorEnvironment::system);
  }

  DoctorMojo(Supplier<DoctorEnvironment> environment) {
    this.environment = environment;
  }

  @Override
  void run()
      throws InvalidSettingException, DoctorFailedException, IOException, InterruptedException {
    DoctorSettings settings =
        DoctorSettings.builder()
            .failOn(failOn)
            .checks(checks)
            .minFreeDisk(minFreeDisk)
            .minGpuMemory(minGpuMemory)
            .cudaVersion(cudaVersion)
            .cudaArchFlags(cudaArchFlags)
            .image(image)
            .timeout(timeout)
            .hfCache(hfCache)
            .containerCli(containerCli)
            .gpuFlag(gpuFlag())
            .slurm(slurmSettingsUsed())
            .dockerfiles(projectDockerfiles())
            .build();
    DoctorReport result = new Doctor(settings, environment.get()).run();
    log(result);
    File reportFile = reportFile();
    try {
      ReportJson.write(result, reportFile.toPath());
    } catch (IOException e) {
      throw new IOException(
          "Cannot write the doctor report " + reportFile + ": " + e.getMessage(), e);
    }
    getLog().info("Report: " + reportFile);
    if (result.failed()) {
      throw new DoctorFailedException(
          "nss:doctor found "
              + result.count(Status.ERROR)
              + " error(s) and "
              + result.count(Status.WARNING)
              + " warning(s) ("
              + PropertyNames.DOCTOR_FAIL_ON
              + "="
              + settings.failOn().jsonName()
              + "); apply the fixes above, or run with -D"
              + PropertyNames.DOCTOR_FAIL_ON
              + "=never to report only");
    }
  }

  /** The project's containers/ Dockerfiles, which the goals build instead of the bundled ones. */
  List<Path> projectDockerfiles() {
    File base = executionRoot != null ? executionRoot : new File(System.getProperty("user.dir"));
    return Stream.of("Dockerfile.cuda", "Dockerfile.test_ci")
        .map(name -> base.toPath().resolve("containers").resolve(name))
        .filter(Files::isRegularFile)
        .toList();
  }

  /**
   * Without a project (requiresProject=false) the stub's build directory stays an unresolved
   * expression.
   */
  File reportFile() {
    if (report != null && !report.getPath().contains("${")) {
      return report;
    }
    File base = executionRoot != null ? executionRoot : new File(System.getProperty("user.dir"));
    return new File(new File(base, "target"), "nss-doctor.json");
  }

  private void log(DoctorReport result) {
    // All at INFO: mixed levels would shift the columns by the width of Maven's level prefix.
    Log log = getLog();
    for (String line : ReportTable.console(result)) {
      log.info(line);
    }
  }

  /**
   * Whether an {@code nss.slurm.*} property is set (command line or pom): then the slurm check runs
   * by default.
   */
  boolean slurmSettingsUsed() {
    List<Properties> sources = new ArrayList<>();
    if (session != null) {
      sources.add(session.getUserProperties());
      sources.add(session.getSystemProperties());
      if (session.getCurrentProject() != null) {
        sources.add(session.getCurrentProject().getProperties());
      }
    }
    return sources.stream()
        .flatMap(p -> p.stringPropertyNames().stream())
        .anyMatch(n -> n.startsWith("nss.slurm."));
  }
}
