package dev.nss.it;

import java.nio.file.Path;

/** Paths and versions handed in by failsafe (see it/pom.xml). */
public final class ItEnv {

  private ItEnv() {}

  public static String version() {
    return get("nss.it.version");
  }

  public static String repo() {
    return get("nss.it.repo");
  }

  public static String userRepo() {
    return get("nss.it.userRepo");
  }

  public static String mavenHome() {
    return get("nss.it.mavenHome");
  }

  /** The repository root (containers/, it/stand-ins/). */
  public static Path root() {
    return Path.of(get("nss.it.root")).toAbsolutePath().normalize();
  }

  public static Path work() {
    return Path.of(get("nss.it.work")).toAbsolutePath().normalize();
  }

  private static String get(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + name
              + " is not set: run the ITs through Maven "
              + "(./mvnw -B -ntp verify)");
    }
    return value;
  }
}
