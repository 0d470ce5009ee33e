package dev.nss.container;

import dev.nss.core.PropertyNames;
import dev.nss.engine.ContainerCliLocator;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw settings of the container goals, as the user gave them (Mojo parameters): a value, made
 * once by the Mojo; each setter returns a changed copy. Defaults are the upstream Makefile's.
 * {@link GoalSpecs} turns them into checked specs.
 */
public final class GoalSettings implements Cloneable {

  String cli = "docker";
  Path basedir;
  Path buildDirectory;
  String context;
  String dockerfile;
  String testDockerfile;
  String image = PropertyNames.IMAGE_DEFAULT;
  String imageDev = PropertyNames.IMAGE_DEV_DEFAULT;
  String testImage = PropertyNames.TEST_IMAGE_DEFAULT;
  String platform = PropertyNames.PLATFORM_DEFAULT;
  String registry;
  String platforms = PropertyNames.PLATFORMS_DEFAULT;
  String builder;
  List<String> cacheFrom = List.of();
  List<String> cacheTo = List.of();
  boolean noCache;
  String tags;
  String tagVariant;
  boolean registryInsecure;
  String pull;
  String cudaVersion;
  String ubuntuVersion;
  String cudaImageType;
  String pythonVersion;
  String uvVersion;
  String cudaArchFlags;
  String entrypointBuild;
  Map<String, String> buildArgs = new LinkedHashMap<>();
  String projectVersion;
  String outputTimestamp;
  String gpuFlag = PropertyNames.GPU_FLAG_DEFAULT;
  String hfCache;
  String extraMounts;
  String cmdLine;
  List<String> cmd;
  String shmSize = PropertyNames.SHM_SIZE_DEFAULT;
  boolean interactive;
  String user = PropertyNames.USER_DEFAULT;
  long hostUid = -1;
  long hostGid = -1;
  Map<String, String> environment = Collections.emptyMap();
  String containerName;

  /** Settings for a project at {@code basedir} with build directory {@code basedir/target}. */
  public GoalSettings(Path basedir) {
    this.basedir = basedir.toAbsolutePath().normalize();
    this.buildDirectory = this.basedir.resolve("target");
    this.hfCache = PropertyNames.hfCacheDefault(System.getProperty("user.home"));
  }

  /** The resolved container CLI (see {@link ContainerCliLocator}). */
  public GoalSettings cli(String value) {
    GoalSettings c = copy();
    c.cli = value;
    return c;
  }

  public GoalSettings buildDirectory(Path value) {
    GoalSettings c = copy();
    c.buildDirectory = value.toAbsolutePath().normalize();
    return c;
  }

  public GoalSettings context(String value) {
    GoalSettings c = copy();
    c.context = value;
    return c;
  }

  public GoalSettings dockerfile(String value) {
    GoalSettings c = copy();
    c.dockerfile = value;
    return c;
  }

  public GoalSettings testDockerfile(String value) {
    GoalSettings c = copy();
    c.testDockerfile = value;
    return c;
  }

  public GoalSettings image(String value) {
    GoalSettings c = copy();
    c.image = value;
    return c;
  }

  public GoalSettings imageDev(String value) {
    GoalSettings c = copy();
    c.imageDev = value;
    return c;
  }

  public GoalSettings testImage(String value) {
    GoalSettings c = copy();
    c.testImage = value;
    return c;
  }

  public GoalSettings platform(String value) {
    GoalSettings c = copy();
    c.platform = value;
    return c;
  }

  public GoalSettings registry(String value) {
    GoalSettings c = copy();
    c.registry = value;
    return c;
  }

  public GoalSettings platforms(String value) {
    GoalSettings c = copy();
    c.platforms = value;
    return c;
  }

  public GoalSettings builder(String value) {
    GoalSettings c = copy();
    c.builder = value;
    return c;
  }

  /** Registry caches to import ({@code nss.cacheFrom}); null means none. */
  public GoalSettings cacheFrom(List<String> value) {
    GoalSettings c = copy();
    c.cacheFrom = value == null ? List.of() : List.copyOf(value);
    return c;
  }

  /** Registry caches to export ({@code nss.cacheTo}); null means none. */
  public GoalSettings cacheTo(List<String> value) {
    GoalSettings c = copy();
    c.cacheTo = value == null ? List.of() : List.copyOf(value);
    return c;
  }

  /** {@code nss.noCache}: build without the engine's layer cache. */
  public GoalSettings noCache(boolean value) {
    GoalSettings c = copy();
    c.noCache = value;
    return c;
  }

  /** Comma-separated tags to push; null or blank means the defaults (see {@link ImageTags}). */
  public GoalSettings tags(String value) {
    GoalSettings c = copy();
    c.tags = value;
    return c;
  }

  /** A build variant such as {@code cu128}, appended to every pushed tag. */
  public GoalSettings tagVariant(String value) {
    GoalSettings c = copy();
    c.tagVariant = value;
    return c;
  }

  /** The registry speaks plain HTTP or has a certificate the CLI cannot verify. */
  public GoalSettings registryInsecure(boolean value) {
    GoalSettings c = copy();
    c.registryInsecure = value;
    return c;
  }

  /** When a run of an image not built by the goal pulls it ({@link PullPolicy}). */
  public GoalSettings pull(String value) {
    GoalSettings c = copy();
    c.pull = value;
    return c;
  }

  public GoalSettings cudaVersion(String value) {
    GoalSettings c = copy();
    c.cudaVersion = value;
    return c;
  }

  public GoalSettings ubuntuVersion(String value) {
    GoalSettings c = copy();
    c.ubuntuVersion = value;
    return c;
  }

  public GoalSettings cudaImageType(String value) {
    GoalSettings c = copy();
    c.cudaImageType = value;
    return c;
  }

  public GoalSettings pythonVersion(String value) {
    GoalSettings c = copy();
    c.pythonVersion = value;
    return c;
  }

  public GoalSettings uvVersion(String value) {
    GoalSettings c = copy();
    c.uvVersion = value;
    return c;
  }

  public GoalSettings cudaArchFlags(String value) {
    GoalSettings c = copy();
    c.cudaArchFlags = value;
    return c;
  }

  public GoalSettings entrypointBuild(String value) {
    GoalSettings c = copy();
    c.entrypointBuild = value;
    return c;
  }

  public GoalSettings buildArgs(Map<String, String> value) {
    GoalSettings c = copy();
    c.buildArgs = value == null ? new LinkedHashMap<>() : new LinkedHashMap<>(value);
    return c;
  }

  public GoalSettings projectVersion(String value) {
    GoalSettings c = copy();
    c.projectVersion = value;
    return c;
  }

  /**
   * {@code project.build.outputTimestamp}: ISO-8601 or seconds since the epoch; the image's created
   * label.
   */
  public GoalSettings outputTimestamp(String value) {
    GoalSettings c = copy();
    c.outputTimestamp = value;
    return c;
  }

  /** Raw GPU flags, split like shell words; empty means no GPU. */
  public GoalSettings gpuFlag(String value) {
    GoalSettings c = copy();
    c.gpuFlag = value;
    return c;
  }

  public GoalSettings hfCache(String value) {
    GoalSettings c = copy();
    c.hfCache = value;
    return c;
  }

  public GoalSettings extraMounts(String value) {
    GoalSettings c = copy();
    c.extraMounts = value;
    return c;
  }

  /**
   * {@code nss.cmd} (pom: {@code <cmdLine>}): the command as one string split like shell words;
   * null means the goal's default.
   */
  public GoalSettings cmdLine(String value) {
    GoalSettings c = copy();
    c.cmdLine = value;
    return c;
  }

  /** {@code <cmd>}: the command as exact arguments; wins over {@link #cmdLine} when not null. */
  public GoalSettings cmd(List<String> value) {
    GoalSettings c = copy();
    c.cmd = value;
    return c;
  }

  public GoalSettings shmSize(String value) {
    GoalSettings c = copy();
    c.shmSize = value;
    return c;
  }

  /** Attach the user's terminal ({@code --interactive --tty}). */
  public GoalSettings interactive(boolean value) {
    GoalSettings c = copy();
    c.interactive = value;
    return c;
  }

  /** {@code nss.user}: {@code auto}, {@code image} or {@code UID:GID}. */
  public GoalSettings user(String value) {
    GoalSettings c = copy();
    c.user = value;
    return c;
  }

  /**
   * The uid and gid of the user running Maven ({@code -1} when unknown), for {@code nss.user=auto}.
   */
  public GoalSettings hostUser(long uid, long gid) {
    GoalSettings c = copy();
    c.hostUid = uid;
    c.hostGid = gid;
    return c;
  }

  /** Maven's environment; only the names of the secret variables set in it are used. */
  public GoalSettings environment(Map<String, String> value) {
    GoalSettings c = copy();
    c.environment = value == null ? Collections.emptyMap() : value;
    return c;
  }

  public GoalSettings containerName(String value) {
    GoalSettings c = copy();
    c.containerName = value;
    return c;
  }

  public Path buildDirectory() {
    return buildDirectory;
  }

  /** Every setter returns a changed copy: settings are a value, never changed once made. */
  private GoalSettings copy() {
    try {
      return (GoalSettings) super.clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }
}
