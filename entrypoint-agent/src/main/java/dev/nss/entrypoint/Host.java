package dev.nss.entrypoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The facts about the running process that a test cannot arrange with temp dirs alone (the tests
 * run as root, to whom every directory is writable, outside any container). Tests override it;
 * production uses it as is.
 */
class Host {
  private final Path dockerenv;
  private final Path containerenv;

  Host() {
    this(Path.of("/"));
  }

  /** A host whose container markers (/.dockerenv, /run/.containerenv) are under {@code root}. */
  Host(Path root) {
    this.dockerenv = root.resolve(".dockerenv");
    this.containerenv = root.resolve("run/.containerenv");
  }

  boolean isWritable(Path dir) {
    return Files.isWritable(dir);
  }

  /** Total size of the file system holding {@code path} (statvfs), in bytes. */
  long totalSpace(Path path) throws IOException {
    return Files.getFileStore(path).getTotalSpace();
  }

  /** The effective uid, read as the owner of /proc/self; -1 when unknown. */
  long uid() {
    return procSelf("unix:uid");
  }

  /** The effective gid, read as the group of /proc/self; -1 when unknown. */
  long gid() {
    return procSelf("unix:gid");
  }

  private static long procSelf(String attribute) {
    try {
      Object id = Files.getAttribute(Path.of("/proc/self"), attribute);
      return id instanceof Integer ? ((Integer) id).longValue() : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  Engine engine(String containerVariable) {
    return Engine.of(Files.exists(dockerenv), Files.isRegularFile(containerenv), containerVariable);
  }

  /** Rootless podman says so in /run/.containerenv ({@code rootless=1}). */
  boolean rootless() {
    if (!Files.isRegularFile(containerenv)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(containerenv)) {
      String text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      return text.contains("\nrootless=1") || text.startsWith("rootless=1");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
