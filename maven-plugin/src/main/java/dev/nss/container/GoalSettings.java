package dev.nss.container;

import dev.nss.core.PropertyNames;
import dev.nss.engine.ContainerCliLocator;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw settings of the container goals, as the user gave them (Mojo parameters). Defaults are
 * the upstream Makefile's. {@link SettingsValidator} turns them into checked specs.
 */
public final class GoalSettings {

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
  String cacheFrom;
  String cacheTo;
  String tags;
  String tagVariant;
  boolean registryInsecure;
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
  String cmd;
  List<String> cmdList;
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
    this.cli = value;
    return this;
  }

  public GoalSettings buildDirectory(Path value) {
    this.buildDirectory = value.toAbsolutePath().normalize();
    return this;
  }

  public GoalSettings context(String value) {
    this.context = value;
    return this;
  }

  public GoalSettings dockerfile(String value) {
    this.dockerfile = value;
    return this;
  }

  public GoalSettings testDockerfile(String value) {
    this.testDockerfile = value;
    return this;
  }

  public GoalSettings image(String value) {
    this.image = value;
    return this;
  }

  public GoalSettings imageDev(String value) {
    this.imageDev = value;
    return this;
  }

  public GoalSettings testImage(String value) {
    this.testImage = value;
    return this;
  }

  public GoalSettings platform(String value) {
    this.platform = value;
    return this;
  }

  public GoalSettings registry(String value) {
    this.registry = value;
    return this;
  }

  public GoalSettings platforms(String value) {
    this.platforms = value;
    return this;
  }

  public GoalSettings builder(String value) {
    this.builder = value;
    return this;
  }

  public GoalSettings cacheFrom(String value) {
    this.cacheFrom = value;
    return this;
  }

  public GoalSettings cacheTo(String value) {
    this.cacheTo = value;
    return this;
  }

  /** Comma-separated tags to push; null or blank means the defaults (see {@link ImageTags}). */
  public GoalSettings tags(String value) {
    this.tags = value;
    return this;
  }

  /** A build variant such as {@code cu128}, appended to every pushed tag. */
  public GoalSettings tagVariant(String value) {
    this.tagVariant = value;
    return this;
  }

  /** The registry speaks plain HTTP or has a certificate the CLI cannot verify. */
  public GoalSettings registryInsecure(boolean value) {
    this.registryInsecure = value;
    return this;
  }

  public GoalSettings cudaVersion(String value) {
    this.cudaVersion = value;
    return this;
  }

  public GoalSettings ubuntuVersion(String value) {
    this.ubuntuVersion = value;
    return this;
  }

  public GoalSettings cudaImageType(String value) {
    this.cudaImageType = value;
    return this;
  }

  public GoalSettings pythonVersion(String value) {
    this.pythonVersion = value;
    return this;
  }

  public GoalSettings uvVersion(String value) {
    this.uvVersion = value;
    return this;
  }

  public GoalSettings cudaArchFlags(String value) {
    this.cudaArchFlags = value;
    return this;
  }

  public GoalSettings entrypointBuild(String value) {
    this.entrypointBuild = value;
    return this;
  }

  public GoalSettings buildArgs(Map<String, String> value) {
    this.buildArgs = value == null ? new LinkedHashMap<>() : new LinkedHashMap<>(value);
    return this;
  }

  public GoalSettings projectVersion(String value) {
    this.projectVersion = value;
    return this;
  }

  /**
   * {@code project.build.outputTimestamp}: ISO-8601 or seconds since the epoch; the image's created
   * label.
   */
  public GoalSettings outputTimestamp(String value) {
    this.outputTimestamp = value;
    return this;
  }

  /** Raw GPU flags, split like shell words; empty means no GPU. */
  public GoalSettings gpuFlag(String value) {
    this.gpuFlag = value;
    return this;
  }

  public GoalSettings hfCache(String value) {
    this.hfCache = value;
    return this;
  }

  public GoalSettings extraMounts(String value) {
    this.extraMounts = value;
    return this;
  }

  /** The command as one string split like shell words; null means the goal's default. */
  public GoalSettings cmd(String value) {
    this.cmd = value;
    return this;
  }

  /** The command as exact arguments; wins over {@link #cmd(String)} when not null. */
  public GoalSettings cmdList(List<String> value) {
    this.cmdList = value;
    return this;
  }

  public GoalSettings shmSize(String value) {
    this.shmSize = value;
    return this;
  }

  /** Attach the user's terminal ({@code --interactive --tty}). */
  public GoalSettings interactive(boolean value) {
    this.interactive = value;
    return this;
  }

  /** {@code nss.user}: {@code auto}, {@code image} or {@code UID:GID}. */
  public GoalSettings user(String value) {
    this.user = value;
    return this;
  }

  /**
   * The uid and gid of the user running Maven ({@code -1} when unknown), for {@code nss.user=auto}.
   */
  public GoalSettings hostUser(long uid, long gid) {
    this.hostUid = uid;
    this.hostGid = gid;
    return this;
  }

  /** Maven's environment; only the names of the secret variables set in it are used. */
  public GoalSettings environment(Map<String, String> value) {
    this.environment = value == null ? Collections.emptyMap() : value;
    return this;
  }

  public GoalSettings containerName(String value) {
    this.containerName = value;
    return this;
  }

  public Path buildDirectory() {
    return buildDirectory;
  }
}
