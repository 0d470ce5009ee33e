package dev.nss.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** {@code memory}: host memory (OSHI) and host {@code /dev/shm}, with a hint when small. */
final class MemoryCheck implements Check {

  /**
   * Below this the model work in the container tends to run out of host memory; a hint, not a rule.
   */
  static final long MIN_MEMORY = 16L << 30;

  /**
   * Containers started with {@code --ipc=host} use the host's /dev/shm; PyTorch data loaders need
   * room there.
   */
  static final long MIN_SHM = 1L << 30;

  @Override
  public String id() {
    return "memory";
  }

  @Override
  public String description() {
    return "Host memory (OSHI) >= 16 GiB and host /dev/shm >= 1 GiB; warnings when smaller";
  }

  @Override
  public Finding run(CheckContext context) {
    OptionalLong total = context.environment().hardware().totalMemoryBytes();
    Path shm = context.environment().hostPath("/dev/shm");
    OptionalLong shmSize = OptionalLong.empty();
    try {
      if (Files.isDirectory(shm)) {
        shmSize = OptionalLong.of(Files.getFileStore(shm).getTotalSpace());
      }
    } catch (IOException e) {
      // reported as unknown
    }
    String value =
        (total.isPresent() ? ByteSize.format(total.getAsLong()) : "unknown")
            + " memory, /dev/shm "
            + (shmSize.isPresent() ? ByteSize.format(shmSize.getAsLong()) : "unknown");
    if (total.isPresent() && total.getAsLong() < MIN_MEMORY) {
      return Finding.warning(
          value + "; less than " + ByteSize.format(MIN_MEMORY) + " memory",
          "use a host with more memory (16 GiB or more) for training runs");
    }
    if (shmSize.isPresent() && shmSize.getAsLong() < MIN_SHM) {
      return Finding.warning(
          value + "; /dev/shm under " + ByteSize.format(MIN_SHM),
          "the run goals give the container its own (nss.shmSize, default 1g); with --ipc=host enlarge the host's:"
              + " sudo mount -o remount,size=8g /dev/shm");
    }
    return Finding.ok(value);
  }
}
