package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** init: the bundled container files written into the project. Runs no container command. */
public final class ProjectInit {

  private final Consumer<String> log;
  private final boolean dryRun;

  /**
   * @param dryRun log what would be written, write nothing
   */
  public ProjectInit(Consumer<String> log, boolean dryRun) {
    this.log = log;
    this.dryRun = dryRun;
  }

  /**
   * init: writes the bundled container files into the project. An existing Dockerfile is not
   * overwritten unless {@code force}; an existing {@code .dockerignore} gets the bundled patterns
   * it lacks ({@code force}: replaced).
   */
  public void init(Path containersDir, Path context, boolean force)
      throws InvalidSettingException, IOException {
    List<Path> targets = new ArrayList<>();
    for (String name : BundledContainers.FILES) {
      targets.add(containersDir.resolve(name));
    }
    targets.add(context.resolve(BundledContainers.IGNORE_FILE));
    List<String> existing = new ArrayList<>();
    for (Path target : targets) {
      if (Files.exists(target) && !isIgnoreFile(target)) {
        existing.add(target.toString());
      }
    }
    if (!existing.isEmpty() && !force) {
      throw new InvalidSettingException(
          PropertyNames.FORCE,
          "not overwriting " + String.join(", ", existing),
          "Edit the files in place, delete them, or overwrite them with -D"
              + PropertyNames.FORCE
              + "=true.");
    }
    for (Path target : targets) {
      if (isIgnoreFile(target) && Files.exists(target) && !force) {
        if (dryRun) {
          log.accept(ContainerCli.DRY_RUN_PREFIX + "merge into " + target);
        } else {
          int added = BundledContainers.mergeIgnoreFile(target);
          log.accept(
              added == 0
                  ? "Kept " + target + ": it has every pattern of the nss context filter"
                  : "Kept "
                      + target
                      + " and added "
                      + added
                      + " line(s) of the nss context filter at its end");
        }
        continue;
      }
      String name = target.getFileName().toString();
      if (dryRun) {
        log.accept(ContainerCli.DRY_RUN_PREFIX + "write " + target);
      } else {
        BundledContainers.write(name, target);
        log.accept("Wrote " + target);
      }
    }
  }

  private static boolean isIgnoreFile(Path target) {
    return target.getFileName().toString().equals(BundledContainers.IGNORE_FILE);
  }
}
