package dev.nss.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** The container files shipped inside the plugin jar under {@code dev/nss/containers/}. */
public final class BundledContainers {

  /** The GPU image's Dockerfile (deps, runtime and dev stages). */
  public static final String GPU_DOCKERFILE = "Dockerfile.cuda";

  /** The CPU test image's Dockerfile. */
  public static final String TEST_DOCKERFILE = "Dockerfile.test_ci";

  /**
   * The build context's filter: {@code mvn nss:init} puts it at the context's root; builds with the
   * bundled Dockerfiles get it beside each of them (see {@link ContextFilter}).
   */
  public static final String IGNORE_FILE = ".dockerignore";

  /** Where a project keeps its Dockerfiles, under its directory (as upstream). */
  public static final String PROJECT_DIR = "containers";

  public static final List<String> FILES = List.of(GPU_DOCKERFILE, TEST_DOCKERFILE, IGNORE_FILE);
  private static final String RESOURCE_DIR = "/dev/nss/containers/";

  private BundledContainers() {}

  /**
   * Where the goals write the bundled files for a build: {@code <build directory>/nss/containers}.
   */
  public static Path directory(Path buildDirectory) {
    return buildDirectory.resolve("nss").resolve(PROJECT_DIR);
  }

  /** Writes one bundled file to {@code target}, replacing what is there. */
  public static void write(String name, Path target) throws IOException {
    try (InputStream in = BundledContainers.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IOException("the plugin jar lacks " + RESOURCE_DIR + name);
      }
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Adds to an existing ignore file the bundled {@code .dockerignore}'s patterns it lacks (after a
   * comment line), and {@code !.nss-build} if it would hide the staged agent. Returns how many
   * lines it added (0: left as it was).
   */
  public static int mergeIgnoreFile(Path target) throws IOException {
    List<String> have = Files.readAllLines(target).stream().map(String::strip).toList();
    List<String> missing = new ArrayList<>();
    for (String line : bundledText(IGNORE_FILE).split("\\R")) {
      String pattern = line.strip();
      if (!pattern.isEmpty() && !pattern.startsWith("#") && !have.contains(pattern)) {
        missing.add(pattern);
      }
    }
    List<String> merged = new ArrayList<>(have);
    merged.addAll(missing);
    if (DockerIgnore.parse(merged).excludingPattern(AgentStager.AGENT_PATH) != null) {
      missing.add("!" + AgentStager.STAGING_DIR);
    }
    if (missing.isEmpty()) {
      return 0;
    }
    String text = Files.readString(target);
    StringBuilder out = new StringBuilder(text);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      out.append('\n');
    }
    out.append(
        "\n# Added by mvn nss:init: the patterns of the nss Dockerfiles' build context filter\n");
    missing.forEach(line -> out.append(line).append('\n'));
    Files.writeString(target, out.toString());
    return missing.size();
  }

  /** The text of a bundled file. */
  static String text(String name) throws IOException {
    return bundledText(name);
  }

  private static String bundledText(String name) throws IOException {
    try (InputStream in = BundledContainers.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IOException("the plugin jar lacks " + RESOURCE_DIR + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * Writes the bundled Dockerfiles into {@code dir} and, beside each, the bundled filter as {@code
   * <Dockerfile>.dockerignore}, unless the project has its own filter at the root of {@code
   * context}: then any such file left from an earlier build is removed, so the project's decides.
   */
  public static void writeAll(Path dir, String cli, Path context) throws IOException {
    boolean ownFilter = ContextFilter.own(cli, context) != null;
    for (String name : List.of(GPU_DOCKERFILE, TEST_DOCKERFILE)) {
      Path dockerfile = dir.resolve(name);
      write(name, dockerfile);
      Path filter = ContextFilter.besideDockerfile(dockerfile);
      if (ownFilter) {
        Files.deleteIfExists(filter);
      } else {
        write(IGNORE_FILE, filter);
      }
    }
  }
}
