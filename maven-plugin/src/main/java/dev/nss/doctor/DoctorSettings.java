package dev.nss.doctor;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The doctor's settings, validated; the Mojo and {@link DoctorMain} both build them from text. */
public final class DoctorSettings {

  /**
   * How the user sets a property: {@code -Dproperty=value} under Maven, an option for {@link
   * DoctorMain}.
   */
  public interface Spelling {
    /** The name of the setting as the user writes it. */
    String name(String property);

    /** A copy-pasteable example that sets {@code property} to {@code value}. */
    String example(String property, String value);

    /** Maven's: {@code -Dnss.doctor.timeout=30}. */
    Spelling MAVEN =
        new Spelling() {
          @Override
          public String name(String property) {
            return property;
          }

          @Override
          public String example(String property, String value) {
            return "-D" + property + "=" + value;
          }
        };
  }

  private final String containerCli;
  private final List<String> checks;
  private final long minFreeDiskBytes;
  private final Path hfCache;
  private final String gpuFlag;
  private final Duration timeout;
  private final FailOn failOn;
  private final List<Path> dockerfiles;
  private final String cudaVersion;
  private final String cudaArchFlags;
  private final long minGpuMemoryBytes;
  private final String image;

  private DoctorSettings(Builder b) throws InvalidSettingException {
    Spelling spelling = b.spelling;
    this.containerCli = orDefault(b.containerCli, "").strip();
    this.checks = Checks.select(b.checks, b.slurm, spelling);
    this.minFreeDiskBytes = parseMinFreeDisk(b.minFreeDisk, spelling);
    this.hfCache = parseHfCache(b.hfCache, spelling);
    this.gpuFlag = orDefault(b.gpuFlag, "").strip();
    this.timeout = parseTimeout(b.timeout, spelling);
    this.failOn = parseFailOn(b.failOn, spelling);
    this.dockerfiles = List.copyOf(b.dockerfiles);
    this.cudaVersion = orDefault(b.cudaVersion, "").strip();
    this.cudaArchFlags = orDefault(b.cudaArchFlags, "").strip();
    this.minGpuMemoryBytes = parseMinGpuMemory(b.minGpuMemory, spelling);
    this.image = parseImage(b.image, spelling);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The configured CLI ({@code nss.containerCli}); blank means "podman if on PATH, else docker".
   */
  public String containerCli() {
    return containerCli;
  }

  /**
   * The selected check ids in report order; when none were named, all but the opt-in ones not in
   * use.
   */
  public List<String> checks() {
    return checks;
  }

  public long minFreeDiskBytes() {
    return minFreeDiskBytes;
  }

  public Path hfCache() {
    return hfCache;
  }

  /** The run goals' GPU flag; empty means the container runs without a GPU. */
  public String gpuFlag() {
    return gpuFlag;
  }

  /**
   * Whether the run goals ask for a GPU, which makes the GPU checks errors rather than warnings.
   */
  public boolean needsGpu() {
    return !gpuFlag.isEmpty();
  }

  /** The limit for each check (and each command it runs). */
  public Duration timeout() {
    return timeout;
  }

  public FailOn failOn() {
    return failOn;
  }

  /**
   * The project's own Dockerfiles the goals build (empty: the bundled ones), for the buildkit
   * check.
   */
  public List<Path> dockerfiles() {
    return dockerfiles;
  }

  /** The image's CUDA_VERSION as the build goals would pass it; "" for the Dockerfile's default. */
  public String cudaVersion() {
    return cudaVersion;
  }

  /** The image's CUDA_ARCH_FLAGS as the build goals would pass it; "" for the default. */
  public String cudaArchFlags() {
    return cudaArchFlags;
  }

  /** The least memory of each GPU; 0: no minimum. */
  public long minGpuMemoryBytes() {
    return minGpuMemoryBytes;
  }

  /** The runtime image ({@code nss.image}) whose environment the GPU checks read; "" for none. */
  public String image() {
    return image;
  }

  /** A reference the CLI cannot take for an option: no leading '-', no blanks or controls. */
  private static String parseImage(String text, Spelling spelling) throws InvalidSettingException {
    String value = orDefault(text, "").strip();
    if (value.startsWith("-") || value.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new InvalidSettingException(
          spelling.name(PropertyNames.IMAGE),
          "'" + value + "' is not an image reference",
          "Name the runtime image, e.g. "
              + spelling.example(PropertyNames.IMAGE, "nss-gpu:latest")
              + ".");
    }
    return value;
  }

  private static long parseMinGpuMemory(String text, Spelling spelling)
      throws InvalidSettingException {
    return text == null || text.isBlank()
        ? 0
        : parseSize(text.strip(), PropertyNames.DOCTOR_MIN_GPU_MEMORY, spelling);
  }

  private static long parseMinFreeDisk(String text, Spelling spelling)
      throws InvalidSettingException {
    return parseSize(
        orDefault(text, PropertyNames.DOCTOR_MIN_FREE_DISK_DEFAULT),
        PropertyNames.DOCTOR_MIN_FREE_DISK,
        spelling);
  }

  /** A size such as {@code 40G} in bytes, or the error naming {@code property}. */
  private static long parseSize(String value, String property, Spelling spelling)
      throws InvalidSettingException {
    OptionalLong bytes = ByteSize.parse(value);
    if (bytes.isEmpty()) {
      throw new InvalidSettingException(
          spelling.name(property),
          "'" + value + "' is not a size",
          "Use a number with an optional unit K, M, G or T (binary: 40G = 40GiB), e.g. "
              + spelling.example(property, "40G")
              + ".");
    }
    return bytes.getAsLong();
  }

  private static Path parseHfCache(String text, Spelling spelling) throws InvalidSettingException {
    if (text == null || text.isBlank()) {
      String property = PropertyNames.HF_CACHE;
      throw new InvalidSettingException(
          spelling.name(property),
          "is empty",
          "Set it to the host directory for the Hugging Face cache, e.g. "
              + spelling.example(property, "$HOME/.cache/huggingface")
              + ".");
    }
    return Paths.get(text.strip()).toAbsolutePath().normalize();
  }

  private static Duration parseTimeout(String text, Spelling spelling)
      throws InvalidSettingException {
    String value = orDefault(text, PropertyNames.DOCTOR_TIMEOUT_DEFAULT).strip();
    try {
      long seconds =
          Long.parseLong(value.endsWith("s") ? value.substring(0, value.length() - 1) : value);
      if (seconds >= 1 && seconds <= 3600) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    String property = PropertyNames.DOCTOR_TIMEOUT;
    throw new InvalidSettingException(
        spelling.name(property),
        "'" + text + "' is not a whole number of seconds from 1 to 3600",
        "Set it e.g. to " + spelling.example(property, "30") + ".");
  }

  private static FailOn parseFailOn(String text, Spelling spelling) throws InvalidSettingException {
    Optional<FailOn> failOn = FailOn.parse(orDefault(text, PropertyNames.DOCTOR_FAIL_ON_DEFAULT));
    if (failOn.isEmpty()) {
      String property = PropertyNames.DOCTOR_FAIL_ON;
      throw new InvalidSettingException(
          spelling.name(property),
          "unknown value '" + text + "'",
          "Use one of error, warning, never, e.g. " + spelling.example(property, "never") + ".");
    }
    return failOn.get();
  }

  private static String orDefault(String text, String fallback) {
    return text == null || text.isBlank() ? fallback : text;
  }

  /** Raw settings; {@link #build()} validates them. */
  public static final class Builder {
    private Spelling spelling = Spelling.MAVEN;
    private String containerCli;
    private String checks;
    private String minFreeDisk;
    private String hfCache;
    private String gpuFlag = PropertyNames.GPU_FLAG_DEFAULT;
    private String timeout;
    private String failOn;
    private boolean slurm;
    private List<Path> dockerfiles = List.of();
    private String cudaVersion;
    private String cudaArchFlags;
    private String minGpuMemory;
    private String image;

    /** The runtime image, e.g. {@code nss-gpu:latest}; empty: none is inspected. */
    public Builder image(String value) {
      image = value;
      return this;
    }

    public Builder cudaVersion(String value) {
      cudaVersion = value;
      return this;
    }

    public Builder cudaArchFlags(String value) {
      cudaArchFlags = value;
      return this;
    }

    /** Each GPU's least memory, e.g. {@code 40G}; empty: none. */
    public Builder minGpuMemory(String value) {
      minGpuMemory = value;
      return this;
    }

    /** How error messages name the settings; Maven's {@code -D} properties unless set. */
    public Builder spelling(Spelling value) {
      spelling = value;
      return this;
    }

    public Builder containerCli(String value) {
      containerCli = value;
      return this;
    }

    public Builder checks(String value) {
      checks = value;
      return this;
    }

    public Builder minFreeDisk(String value) {
      minFreeDisk = value;
      return this;
    }

    public Builder hfCache(String value) {
      hfCache = value;
      return this;
    }

    /**
     * Null or empty means no GPU flag (unlike leaving it unset, which keeps {@code --gpus all}).
     */
    public Builder gpuFlag(String value) {
      gpuFlag = value;
      return this;
    }

    public Builder timeout(String value) {
      timeout = value;
      return this;
    }

    /**
     * An {@code nss.slurm.*} setting is in use: the {@code slurm} check runs with the default
     * checks.
     */
    public Builder slurm(boolean value) {
      slurm = value;
      return this;
    }

    public Builder failOn(String value) {
      failOn = value;
      return this;
    }

    public Builder dockerfiles(List<Path> value) {
      dockerfiles = value;
      return this;
    }

    /**
     * @throws InvalidSettingException for the first bad value, naming its setting and the fix
     */
    public DoctorSettings build() throws InvalidSettingException {
      return new DoctorSettings(this);
    }
  }
}
