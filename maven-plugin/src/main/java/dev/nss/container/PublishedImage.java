package dev.nss.container;

import dev.nss.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a push left in the registry, written to {@code target/nss-image.json} (schema: {@code
 * nss-image.schema.json} beside this class) for later steps: deploy jobs, signing, digest pinning.
 *
 * @param repository registry and image name, e.g. {@code 127.0.0.1:5000/team/nss-gpu}
 * @param digest the manifest's (single platform) or manifest list's (multi-platform) digest, {@code
 *     sha256:...}
 * @param version the image's {@code org.opencontainers.image.version} label, or null
 * @param revision the image's {@code org.opencontainers.image.revision} label, or null
 */
public record PublishedImage(
    String repository,
    List<String> tags,
    String digest,
    List<String> platforms,
    String version,
    String revision,
    String cli) {

  public static final String FILE_NAME = "nss-image.json";

  /** Bumped when a property changes meaning or goes away. */
  public static final int FORMAT_VERSION = 1;

  /** {@code REGISTRY/IMAGE@sha256:...}: the reference that always means exactly this image. */
  public String pinned() {
    return repository + "@" + digest;
  }

  public String toJson() {
    StringBuilder out = new StringBuilder("{\n");
    out.append("  \"formatVersion\": ").append(FORMAT_VERSION).append(",\n");
    out.append("  \"image\": ").append(Json.quote(repository)).append(",\n");
    out.append("  \"tags\": ").append(array(tags)).append(",\n");
    out.append("  \"digest\": ").append(Json.quote(digest)).append(",\n");
    out.append("  \"reference\": ").append(Json.quote(pinned())).append(",\n");
    out.append("  \"platforms\": ").append(array(platforms)).append(",\n");
    if (version != null) {
      out.append("  \"version\": ").append(Json.quote(version)).append(",\n");
    }
    if (revision != null) {
      out.append("  \"revision\": ").append(Json.quote(revision)).append(",\n");
    }
    out.append("  \"cli\": ").append(Json.quote(cli)).append("\n}\n");
    return out.toString();
  }

  public Path write(Path buildDirectory) throws IOException {
    Files.createDirectories(buildDirectory);
    Path file = buildDirectory.resolve(FILE_NAME);
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    return file;
  }

  private static String array(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(Json.quote(values.get(i)));
    }
    return out.append(']').toString();
  }
}
