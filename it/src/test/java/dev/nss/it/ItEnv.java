package dev.nss.it;

import java.nio.file.Path;

/** Paths and versions handed in by failsafe (see it/pom.xml). */
final class ItEnv {

  private ItEnv() {}

  static String version() {
    return get("nss.it.version");
  }

  static String repo() {
    return get("nss.it.repo");
  }

  static String userRepo() {
    return get("nss.it.userRepo");
  }

  static String mavenHome() {
    return get("nss.it.mavenHome");
  }

  /** The repository root (containers/, it/stand-ins/). */
  static Path root() {
    return Path.of(get("nss.it.root")).toAbsolutePath().normalize();
  }

  static Path work() {
    return Path.of(get("nss.it.work")).toAbsolutePath().normalize();
  }

  private static String get(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property " + name + " is not set: run the ITs through Maven "
          + "(./mvnw -B -ntp verify)");
    }
    return value;
  }
}
