package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tags a push uses, in upstream CI's scheme: {@code nss.tags}, else {@code latest}, the project
 * version and {@code sha-<12 hex>} of the git HEAD; a variant such as {@code cu128} then turns
 * {@code latest} into {@code cu128} and every other tag {@code T} into {@code T-cu128}.
 */
public final class ImageTags {

  static final String LATEST = "latest";
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern VARIANT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
  private static final Pattern NOT_IN_TAG = Pattern.compile("[^A-Za-z0-9_.-]");

  private ImageTags() {}

  /**
   * @param configured {@code nss.tags}, comma-separated; null or blank for the defaults
   * @param variant {@code nss.tagVariant}, or null
   * @param projectVersion the project version, or null
   * @param revision the git HEAD of the project's checkout, if any
   */
  public static List<String> of(
      String configured, String variant, String projectVersion, Optional<String> revision)
      throws InvalidSettingException {
    List<String> base =
        configured == null || configured.isBlank()
            ? defaults(projectVersion, revision)
            : configured(configured);
    if (variant == null || variant.isBlank()) {
      return base;
    }
    String v = variant.strip();
    if (!VARIANT.matcher(v).matches()) {
      throw new InvalidSettingException(
          PropertyNames.TAG_VARIANT,
          "'" + v + "' cannot be part of an image tag",
          "Use letters, digits, '_', '.' and '-', for example -Dnss.tagVariant=cu128.");
    }
    Set<String> tags = new LinkedHashSet<>();
    for (String tag : base) {
      tags.add(tag.equals(LATEST) ? v : tag + "-" + v);
    }
    return List.copyOf(tags);
  }

  private static List<String> defaults(String projectVersion, Optional<String> revision) {
    Set<String> tags = new LinkedHashSet<>();
    tags.add(LATEST);
    if (projectVersion != null && !projectVersion.isBlank()) {
      tags.add(
          NOT_IN_TAG.matcher(projectVersion.strip()).replaceAll("-")); // 1.0+build.5 -> 1.0-build.5
    }
    revision.ifPresent(sha -> tags.add("sha-" + sha.substring(0, 12)));
    return List.copyOf(tags);
  }

  private static List<String> configured(String configured) throws InvalidSettingException {
    Set<String> tags = new LinkedHashSet<>();
    for (String part : configured.split(",", -1)) {
      String tag = part.strip();
      if (!TAG.matcher(tag).matches()) {
        throw new InvalidSettingException(
            PropertyNames.TAGS,
            "'" + tag + "' in '" + configured + "' is not an image tag",
            "Use a comma-separated list of tags (letters, digits, '_', '.', '-'; at most 128), for example "
                + "-Dnss.tags=latest,1.0.0.");
      }
      tags.add(tag);
    }
    return new ArrayList<>(tags);
  }
}
