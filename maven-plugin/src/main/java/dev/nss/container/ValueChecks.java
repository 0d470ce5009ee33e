package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Validation of user settings; every failure names the property and the fix. */
public final class ValueChecks {

  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN = DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*(?::[0-9]+)?";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final Pattern IMAGE_REFERENCE =
      Pattern.compile(
          "(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*(?::" + TAG + ")?(?:@"
              + DIGEST + ")?");
  private static final Pattern REGISTRY = Pattern.compile(DOMAIN + "(?:/" + COMPONENT + ")*");
  private static final Pattern PLATFORM = Pattern.compile("[a-z0-9_]+/[a-z0-9_]+(?:/[a-z0-9_]+)?");
  private static final Pattern CUDA_VERSION = Pattern.compile("\\d+\\.\\d+(?:\\.\\d+)?");
  private static final Pattern UBUNTU_VERSION = Pattern.compile("\\d{2}\\.\\d{2}");
  private static final Pattern PYTHON_VERSION = Pattern.compile("3\\.\\d+(?:\\.\\d+)?");
  private static final Pattern UV_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");
  private static final Pattern CUDA_ARCH_FLAGS = Pattern.compile("\\d+[a-z]?(?:;\\d+[a-z]?)*");
  private static final Pattern SHM_SIZE = Pattern.compile("[1-9][0-9]*[bkmgBKMG]?");
  private static final Pattern BUILD_ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ValueChecks() {}

  public static String imageReference(String property, String value)
      throws InvalidSettingException {
    String v = required(property, value, "an image reference such as nss-gpu:latest");
    if (v.length() > 255 || !IMAGE_REFERENCE.matcher(v).matches()) {
      throw new InvalidSettingException(
          property,
          "'" + v + "' is not a valid image reference",
          "Use lower-case [registry/]name[:tag], for example -D" + property + "=nss-gpu:latest.");
    }
    return v;
  }

  /**
   * A registry host with an optional namespace, e.g. {@code 127.0.0.1:5000} or {@code
   * registry.example/acme}.
   */
  public static String registry(String property, String value) throws InvalidSettingException {
    String v = value.strip();
    while (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    if (!REGISTRY.matcher(v).matches()) {
      throw new InvalidSettingException(
          property,
          "'" + value + "' is not a registry host[:port][/namespace]",
          "Use for example -D" + property + "=registry.example:5000/team.");
    }
    return v;
  }

  public static String platform(String property, String value) throws InvalidSettingException {
    return matching(
        property,
        value,
        PLATFORM,
        "os/arch[/variant]",
        "Use for example -D" + property + "=linux/amd64.");
  }

  public static String platforms(String property, String value) throws InvalidSettingException {
    String v = required(property, value, "a comma-separated list of os/arch[/variant]");
    for (String p : v.split(",", -1)) {
      if (!PLATFORM.matcher(p.strip()).matches()) {
        throw new InvalidSettingException(
            property,
            "'" + p + "' in '" + v + "' is not os/arch[/variant]",
            "Use a comma-separated list, for example -D" + property + "=linux/amd64,linux/arm64.");
      }
    }
    return v.replace(" ", "");
  }

  public static String cudaVersion(String property, String value) throws InvalidSettingException {
    return matching(property, value, CUDA_VERSION, "a CUDA version such as 12.8.1");
  }

  public static String ubuntuVersion(String property, String value) throws InvalidSettingException {
    return matching(property, value, UBUNTU_VERSION, "an Ubuntu release such as 22.04");
  }

  public static String pythonVersion(String property, String value) throws InvalidSettingException {
    return matching(property, value, PYTHON_VERSION, "a Python version such as 3.11.13");
  }

  public static String uvVersion(String property, String value) throws InvalidSettingException {
    return matching(property, value, UV_VERSION, "a uv version such as 0.9.14");
  }

  public static String cudaArchFlags(String property, String value) throws InvalidSettingException {
    return matching(
        property,
        value,
        CUDA_ARCH_FLAGS,
        "semicolon-separated compute capabilities such as 80;86;90;90a");
  }

  public static String cudaImageType(String property, String value) throws InvalidSettingException {
    return oneOf(property, value, "runtime", "devel");
  }

  public static String entrypointBuild(String property, String value)
      throws InvalidSettingException {
    return oneOf(property, value, "native", "jvm");
  }

  public static String shmSize(String property, String value) throws InvalidSettingException {
    return matching(property, value, SHM_SIZE, "a size such as 1g or 512m");
  }

  public static String buildArgName(String property, String name) throws InvalidSettingException {
    if (name == null || !BUILD_ARG_NAME.matcher(name).matches()) {
      throw new InvalidSettingException(
          property,
          "'" + name + "' is not a build argument name",
          "Use letters, digits and underscores, starting with a letter or underscore.");
    }
    return name;
  }

  public static Path existingFile(String property, Path file, String what)
      throws InvalidSettingException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidSettingException(
          property,
          what + " " + file + " does not exist",
          "Point -D"
              + property
              + " at an existing file, or run mvn nss:init to write the bundled ones.");
    }
    return file;
  }

  public static Path existingDirectory(String property, Path dir, String what)
      throws InvalidSettingException {
    if (!Files.isDirectory(dir)) {
      throw new InvalidSettingException(
          property,
          what + " " + dir + " is not an existing directory",
          "Point -D" + property + " at an existing directory.");
    }
    return dir;
  }

  /**
   * The HF cache may be missing (it is created) but must not be anything other than a directory.
   */
  public static Path hfCache(String property, Path dir) throws InvalidSettingException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidSettingException(
          property,
          dir + " exists and is not a directory",
          "Remove that file or point -D" + property + " at a directory.");
    }
    return dir;
  }

  private static String matching(String property, String value, Pattern pattern, String expected)
      throws InvalidSettingException {
    return matching(
        property, value, pattern, expected, "Set -D" + property + " to " + expected + ".");
  }

  private static String matching(
      String property, String value, Pattern pattern, String expected, String fix)
      throws InvalidSettingException {
    String v = required(property, value, expected);
    if (!pattern.matcher(v).matches()) {
      throw new InvalidSettingException(property, "'" + v + "' is not " + expected, fix);
    }
    return v;
  }

  private static String oneOf(String property, String value, String... allowed)
      throws InvalidSettingException {
    String v = required(property, value, String.join(" or ", allowed));
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw new InvalidSettingException(
        property,
        "'" + v + "' is not " + String.join(" or ", allowed),
        "Set -D" + property + "=" + allowed[0] + " (or " + String.join(", ", allowed) + ").");
  }

  private static String required(String property, String value, String expected)
      throws InvalidSettingException {
    if (value == null || value.isBlank()) {
      throw new InvalidSettingException(
          property, "is empty", "Set -D" + property + " to " + expected + ".");
    }
    return value.strip();
  }
}
