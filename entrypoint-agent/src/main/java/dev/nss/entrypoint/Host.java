package dev.nss.entrypoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The facts about the running process that a test cannot arrange with temp dirs alone (the tests
 * run as root, to whom every directory is writable). Tests override it; production uses it as is.
 */
class Host {
  boolean isWritable(Path dir) {
    return Files.isWritable(dir);
  }

  /** Total size of the file system holding {@code path} (statvfs), in bytes. */
  long totalSpace(Path path) throws IOException {
    return Files.getFileStore(path).getTotalSpace();
  }

  /** The effective uid, read as the owner of /proc/self; -1 when unknown. */
  long uid() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer ? ((Integer) uid).longValue() : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
