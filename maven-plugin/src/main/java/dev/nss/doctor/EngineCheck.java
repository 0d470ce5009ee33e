package dev.nss.doctor;

import java.util.Optional;

/** {@code engine}: the engine answers {@code info}; its version, storage driver and root dir. */
final class EngineCheck implements Check {

  @Override
  public String id() {
    return "engine";
  }

  @Override
  public String description() {
    return "Engine reachable (info): engine version, storage driver, root dir";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    CheckContext.EngineProbe probe = context.engine();
    Optional<EngineInfo> info = probe.info();
    if (info.isEmpty()) {
      return Finding.error(probe.problem(), probe.fix());
    }
    EngineInfo engine = info.get();
    return Finding.ok(
        engine.product()
            + " "
            + engine.version()
            + ", storage "
            + orUnknown(engine.storageDriver())
            + ", root "
            + orUnknown(engine.rootDir()));
  }

  static String fix(CheckContext context, String problem) {
    if (context.isPodman()) {
      return "start Podman (podman machine start on macOS/Windows) or check podman system connection list";
    }
    if (problem.contains("permission denied")) {
      return "let your user reach the socket: sudo usermod -aG docker $USER, then log in again";
    }
    return "start the engine (sudo systemctl start docker) or point DOCKER_HOST / docker context at a running one";
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? "unknown" : s;
  }
}
