package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The OCI labels the plugin adds to the upstream image's own: version, revision and created. */
public final class ImageLabels {

  public static final String VERSION = "org.opencontainers.image.version";
  public static final String REVISION = "org.opencontainers.image.revision";
  public static final String CREATED = "org.opencontainers.image.created";

  private ImageLabels() {}

  /**
   * @param projectVersion the project version, or null
   * @param basedir the project directory; its git HEAD becomes the revision
   * @param outputTimestamp {@code project.build.outputTimestamp}, or null; a value of one character
   *     means unset, as in Maven's archiver
   */
  public static Map<String, String> of(String projectVersion, Path basedir, String outputTimestamp)
      throws InvalidSettingException {
    Map<String, String> labels = new LinkedHashMap<>();
    if (projectVersion != null && !projectVersion.isBlank()) {
      labels.put(VERSION, projectVersion.strip());
    }
    GitRevision.of(basedir).ifPresent(sha -> labels.put(REVISION, sha));
    if (outputTimestamp != null && outputTimestamp.strip().length() > 1) {
      labels.put(CREATED, created(outputTimestamp.strip()).toString());
    }
    return labels;
  }

  static Instant created(String timestamp) throws InvalidSettingException {
    try {
      if (timestamp.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochSecond(Long.parseLong(timestamp));
      }
      return OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new InvalidSettingException(
          "project.build.outputTimestamp",
          "'" + timestamp + "' is neither ISO-8601 with an offset nor seconds since the epoch",
          "Use for example <project.build.outputTimestamp>2026-01-01T00:00:00Z</project.build.outputTimestamp>.");
    }
  }
}
