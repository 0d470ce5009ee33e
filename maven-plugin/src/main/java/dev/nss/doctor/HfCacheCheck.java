package dev.nss.doctor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code hf-cache}: {@code nss.hfCache} is a writable directory, or run-gpu can create it ({@code
 * mkdir -p}).
 */
final class HfCacheCheck implements Check {

  @Override
  public String id() {
    return "hf-cache";
  }

  @Override
  public String description() {
    return "HF cache directory (nss.hfCache) exists and is writable, or run-gpu can create it";
  }

  @Override
  public Finding run(CheckContext context) {
    Path cache = context.settings().hfCache();
    if (Files.isDirectory(cache)) {
      if (Files.isWritable(cache)) {
        return Finding.ok(cache + " (writable)");
      }
      return Finding.error(
          cache + " is not writable by this user",
          "sudo chown -R $(id -u):$(id -g) "
              + cache
              + "  (or -Dnss.hfCache=<a writable directory>)");
    }
    if (Files.exists(cache)) {
      return Finding.error(
          cache + " exists but is not a directory",
          "-Dnss.hfCache=<a directory>, or move the file away");
    }
    Path ancestor = cache.getParent();
    while (ancestor != null && !Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    if (ancestor != null && Files.isDirectory(ancestor) && Files.isWritable(ancestor)) {
      return Finding.ok(cache + " (missing; run-gpu creates it)");
    }
    return Finding.error(
        cache + " is missing and cannot be created (" + ancestor + " is not a writable directory)",
        "sudo mkdir -p "
            + cache
            + " && sudo chown $(id -u):$(id -g) "
            + cache
            + "  (or -Dnss.hfCache=<a writable directory>)");
  }
}
