package dev.nss.doctor;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code disk}: free space where the engine stores images is at least {@code
 * nss.doctor.minFreeDisk}.
 */
final class DiskCheck implements Check {

  @Override
  public String id() {
    return "disk";
  }

  @Override
  public String description() {
    return "Free disk at the engine's root dir >= nss.doctor.minFreeDisk (default 40G; the image is 15-25 GB)";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    CheckContext.EngineProbe engine = context.engine();
    if (engine.info().isEmpty()) {
      return engine.notChecked(Status.WARNING);
    }
    String rootDir = engine.info().get().rootDir();
    if (rootDir.isEmpty()) {
      return Finding.warning(
          "the engine reported no root dir", "check free space by hand: docker system df; df -h");
    }
    Path path = context.environment().hostPath(rootDir);
    if (!Files.exists(path)) {
      return Finding.warning(
          rootDir + " is not on this host (a remote engine or a VM?): free space unknown",
          "check free space on the engine's host: df -h " + rootDir);
    }
    long free;
    try {
      FileStore store = Files.getFileStore(path);
      free = store.getUsableSpace();
    } catch (IOException | SecurityException e) {
      return Finding.warning(
          "cannot read free space of " + rootDir + ": " + e.getMessage(),
          "check by hand: df -h " + rootDir);
    }
    long min = context.settings().minFreeDiskBytes();
    String value =
        ByteSize.format(free) + " free at " + rootDir + " (need " + ByteSize.format(min) + ")";
    if (free >= min) {
      return Finding.ok(value);
    }
    return Finding.error(
        value,
        "free space: docker system prune (podman system prune), or move the engine's data-root to a larger disk;"
            + " or lower -Dnss.doctor.minFreeDisk");
  }
}
