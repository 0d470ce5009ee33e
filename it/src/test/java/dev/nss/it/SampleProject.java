package dev.nss.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh copy of the sample uv project {@code safe-synthesizer} (it/src/it/safe-synthesizer) under
 * {@code target/it-work/<run id>/<case>/}, with a generated pom that uses this reactor's plugin and
 * the stand-in base images.
 */
public final class SampleProject {

  static final String OUTPUT_TIMESTAMP = "2026-01-02T03:04:05Z";

  private final Path dir;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final Map<String, String> buildArgs =
      new java.util.TreeMap<>(SamplePom.STAND_IN_BUILD_ARGS);
  private List<String> cmdList;
  private boolean preserveSpace;

  private SampleProject(Path dir) {
    this.dir = dir;
  }

  /**
   * A copy with the repository's containers/ (and its .dockerignore at the root, as nss:init places
   * it), driven through {@code engine}'s CLI, in {@code <run id>/<engine>/<case>}.
   */
  static SampleProject withContainers(Engine engine, String caseName) {
    return withoutContainers(engine, caseName).withRepositoryContainers();
  }

  /** Adds the repository's containers/ and its .dockerignore at the root, as nss:init places it. */
  public SampleProject withRepositoryContainers() {
    copyTree(ItEnv.root().resolve("containers"), dir.resolve("containers"));
    copy(ItEnv.root().resolve("containers/.dockerignore"), dir.resolve(".dockerignore"));
    return this;
  }

  /** A copy with no containers/: the plugin's bundled Dockerfiles apply. */
  static SampleProject withoutContainers(Engine engine, String caseName) {
    return copyOf(engine, "safe-synthesizer", caseName);
  }

  /**
   * The multi-platform sample (it/src/it/multiarch, built with {@code nss.dockerfile=Dockerfile})
   * with a static busybox for each of amd64 and arm64 in its context.
   */
  static SampleProject multiArch(Engine engine, String caseName, Path busyboxArm64) {
    SampleProject p = copyOf(engine, "multiarch", caseName);
    copy(Path.of("/bin/busybox"), p.dir.resolve("busybox-amd64"));
    copy(busyboxArm64, p.dir.resolve("busybox-arm64"));
    p.dir.resolve("busybox-amd64").toFile().setExecutable(true, false);
    p.dir.resolve("busybox-arm64").toFile().setExecutable(true, false);
    return p.property("nss.dockerfile", "Dockerfile");
  }

  private static SampleProject copyOf(Engine engine, String sample, String caseName) {
    // runs may overlap on one checkout
    return fresh(
        sample,
        ItEnv.work().resolve(Fixtures.RUN_ID).resolve(engine.toString()).resolve(caseName),
        engine.cli());
  }

  /**
   * A fresh copy of the sample {@code it/src/it/<sample>} at {@code dir} (replacing what is there),
   * whose pom drives the container CLI {@code cli}, builds the agent in jvm mode and keeps the HF
   * cache inside the project.
   */
  public static SampleProject fresh(String sample, Path dir, String cli) {
    delete(dir);
    copyTree(ItEnv.root().resolve("it/src/it").resolve(sample), dir);
    SampleProject p = new SampleProject(dir);
    p.property("project.build.outputTimestamp", OUTPUT_TIMESTAMP);
    p.property("nss.containerCli", cli);
    p.property("nss.entrypointBuild", "jvm");
    p.property("nss.hfCache", dir.resolve("hf-cache").toString());
    return p.writePom();
  }

  /**
   * Sets a project property in the pom (values with quotes or non-ASCII travel safely this way).
   */
  public SampleProject property(String name, String value) {
    properties.put(name, value);
    return writePom();
  }

  /** Adds or replaces a {@code <buildArgs>} entry of the plugin configuration. */
  public SampleProject buildArg(String name, String value) {
    buildArgs.put(name, value);
    return writePom();
  }

  /**
   * The plugin's {@code <cmd>} list; with {@code preserveSpace} each element carries {@code
   * xml:space="preserve"} (without it Maven trims each element's leading and trailing whitespace).
   */
  public SampleProject cmdList(List<String> args, boolean preserveSpace) {
    this.cmdList = List.copyOf(args);
    this.preserveSpace = preserveSpace;
    return writePom();
  }

  public Path dir() {
    return dir;
  }

  public MavenBuild maven(String... goals) {
    return new MavenBuild(dir, goals);
  }

  /** Makes the project a git checkout with one commit; returns the commit id. */
  String gitInit() {
    run("git", "init", "-q");
    run("git", "add", "-A");
    run(
        "git",
        "-c",
        "user.name=nss-it",
        "-c",
        "user.email=nss-it@localhost",
        "commit",
        "-q",
        "-m",
        "sample");
    return run("git", "rev-parse", "HEAD").stdout().trim();
  }

  private ProcessResult run(String... argv) {
    var result =
        ProcessResult.of(
            java.util.List.of(argv),
            Map.of("GIT_DIR", dir.resolve(".git").toString(), "GIT_WORK_TREE", dir.toString()));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed: " + result.stderr());
    }
    return result;
  }

  private SampleProject writePom() {
    try {
      Files.writeString(
          dir.resolve("pom.xml"),
          SamplePom.render(properties, buildArgs, cmdXml()),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  private String cmdXml() {
    if (cmdList == null) {
      return "";
    }
    StringBuilder cmd = new StringBuilder("          <cmd>\n");
    for (String a : cmdList) {
      cmd.append(preserveSpace ? "            <arg xml:space=\"preserve\">" : "            <arg>")
          .append(SamplePom.xml(a))
          .append("</arg>\n");
    }
    return cmd.append("          </cmd>\n").toString();
  }

  /** Copies a directory tree, keeping file attributes (the executable bit of scripts). */
  public static void copyTree(Path from, Path to) {
    try {
      Files.walkFileTree(
          from,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
                throws IOException {
              Files.createDirectories(to.resolve(from.relativize(d).toString()));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
              Files.copy(
                  f,
                  to.resolve(from.relativize(f).toString()),
                  StandardCopyOption.REPLACE_EXISTING,
                  StandardCopyOption.COPY_ATTRIBUTES);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) {
    try {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes a tree, first making each directory readable and searchable again (a case may have
   * taken that away).
   */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
                throws IOException {
              d.toFile().setReadable(true, false);
              d.toFile().setExecutable(true, false);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
              Files.delete(f);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
