package dev.nss.doctor;

import dev.nss.engine.PlatformSupport;
import java.util.List;

/**
 * {@code platforms}: which platforms this host can build, its own plus those binfmt_misc emulates
 * with qemu. Only {@code build-gpu-multiarch} needs a foreign one, so none is a warning.
 */
final class PlatformsCheck implements Check {

  @Override
  public String id() {
    return "platforms";
  }

  @Override
  public String description() {
    return "platforms this host can build: native, plus qemu in binfmt_misc (build-gpu-multiarch only)";
  }

  @Override
  public Finding run(CheckContext context) {
    PlatformSupport host =
        new PlatformSupport(
            context.environment().hostPath(PlatformSupport.BINFMT_MISC.toString()),
            System.getProperty("os.arch"));
    List<String> emulated = host.emulated();
    if (emulated.isEmpty()) {
      return Finding.warning(
          host.hostPlatform()
              + " only: no qemu handler in binfmt_misc, so build-gpu-multiarch "
              + "cannot build other platforms here",
          "sudo apt-get install qemu-user-static binfmt-support (if /proc/sys/fs/binfmt_misc is empty, first sudo mount "
              + "-t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc); or build on a buildx builder with native nodes "
              + "(nss.builder)");
    }
    return Finding.ok(
        host.hostPlatform() + " (native), " + String.join(", ", emulated) + " (qemu)");
  }
}
