package dev.nss.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The container files shipped inside the plugin jar under {@code dev/nss/containers/}. */
public final class BundledContainers {

  public static final List<String> FILES = List.of("Dockerfile.cuda", "Dockerfile.test_ci", ".dockerignore");
  private static final String RESOURCE_DIR = "/dev/nss/containers/";

  private BundledContainers() {}

  /** Where the goals write the bundled files for a build: {@code <build directory>/nss/containers}. */
  public static Path directory(Path buildDirectory) {
    return buildDirectory.resolve("nss").resolve("containers");
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

  /** Writes all bundled files into {@code dir}. */
  public static void writeAll(Path dir) throws IOException {
    for (String name : FILES) {
      write(name, dir.resolve(name));
    }
  }
}
