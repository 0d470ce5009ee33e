package dev.nss.doctor;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The doctor's settings, validated; the Mojo and {@link DoctorMain} both build them from text. */
public final class DoctorSettings {

  public static final String DEFAULT_MIN_FREE_DISK = "40G";
  public static final String DEFAULT_GPU_FLAG = "--gpus all";
  public static final String DEFAULT_TIMEOUT = "30";

  private final String containerCli;
  private final List<String> checks;
  private final long minFreeDiskBytes;
  private final Path hfCache;
  private final String gpuFlag;
  private final Duration timeout;
  private final FailOn failOn;

  private DoctorSettings(Builder b) {
    this.containerCli = orDefault(b.containerCli, "").strip();
    this.checks = parseChecks(b.checks);
    this.minFreeDiskBytes = ByteSize.parse(orDefault(b.minFreeDisk, DEFAULT_MIN_FREE_DISK), "nss.doctor.minFreeDisk");
    this.hfCache = parseHfCache(b.hfCache);
    this.gpuFlag = orDefault(b.gpuFlag, "").strip();
    this.timeout = parseTimeout(b.timeout);
    this.failOn = FailOn.parse(b.failOn);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The configured CLI ({@code nss.containerCli}); blank means "podman if on PATH, else docker". */
  public String containerCli() {
    return containerCli;
  }

  /** The selected check ids in report order; all when none were named. */
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

  /** Whether the run goals ask for a GPU, which makes the GPU checks errors rather than warnings. */
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

  private static List<String> parseChecks(String text) {
    List<String> valid = Checks.ids();
    if (text == null || text.isBlank()) {
      return valid;
    }
    Set<String> wanted = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (String part : text.split(",")) {
      String id = part.strip();
      if (id.isEmpty()) {
        continue;
      }
      if (valid.contains(id)) {
        wanted.add(id);
      } else {
        unknown.add(id);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "nss.doctor.checks names unknown check id(s): "
              + String.join(", ", unknown)
              + ". Valid ids: "
              + String.join(", ", valid)
              + "; e.g. -Dnss.doctor.checks=engine,gpu");
    }
    return valid.stream().filter(wanted::contains).toList();
  }

  private static Path parseHfCache(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "nss.hfCache is empty; set it to the host directory for the Hugging Face cache, e.g."
              + " -Dnss.hfCache=$HOME/.cache/huggingface");
    }
    return Paths.get(text.strip()).toAbsolutePath().normalize();
  }

  private static Duration parseTimeout(String text) {
    String value = orDefault(text, DEFAULT_TIMEOUT).strip();
    try {
      long seconds = Long.parseLong(value.endsWith("s") ? value.substring(0, value.length() - 1) : value);
      if (seconds >= 1 && seconds <= 3600) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "nss.doctor.timeout must be a whole number of seconds from 1 to 3600, not '"
            + text
            + "'; e.g. -Dnss.doctor.timeout=30");
  }

  private static String orDefault(String text, String fallback) {
    return text == null || text.isBlank() ? fallback : text;
  }

  /** The default HF cache, as the run goals use it: {@code ~/.cache/huggingface}. */
  public static String defaultHfCache(Map<String, String> env) {
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Paths.get(Objects.requireNonNullElse(home, "/tmp"), ".cache", "huggingface").toString();
  }

  /** Raw settings; {@link #build()} validates them. */
  public static final class Builder {
    private String containerCli;
    private String checks;
    private String minFreeDisk;
    private String hfCache;
    private String gpuFlag = DEFAULT_GPU_FLAG;
    private String timeout;
    private String failOn;

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

    /** Null or empty means no GPU flag (unlike leaving it unset, which keeps {@code --gpus all}). */
    public Builder gpuFlag(String value) {
      gpuFlag = value;
      return this;
    }

    public Builder timeout(String value) {
      timeout = value;
      return this;
    }

    public Builder failOn(String value) {
      failOn = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException for the first bad value, naming its property and the fix
     */
    public DoctorSettings build() {
      return new DoctorSettings(this);
    }
  }
}
