package dev.nss.entrypoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A Host whose writability, shared-memory size, ids and engine a test sets (the tests run as root).
 */
class FakeHost extends Host {
  boolean writable = true;
  long totalSpace = 1L << 30;
  long uid = 1234;
  long gid = 1234;
  Engine engine = Engine.UNKNOWN;
  boolean rootless;
  IOException totalSpaceFailure;

  @Override
  boolean isWritable(Path dir) {
    return writable && super.isWritable(dir);
  }

  @Override
  long totalSpace(Path path) throws IOException {
    if (totalSpaceFailure != null) {
      throw totalSpaceFailure;
    }
    return totalSpace;
  }

  @Override
  long uid() {
    return uid;
  }

  @Override
  long gid() {
    return gid;
  }

  @Override
  Engine engine(String containerVariable) {
    return engine;
  }

  @Override
  boolean rootless() {
    return rootless;
  }
}
