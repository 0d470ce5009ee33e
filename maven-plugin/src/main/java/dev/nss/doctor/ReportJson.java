package dev.nss.doctor;

import dev.nss.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the report as JSON matching {@code nss-doctor.schema.json} (kept beside this class). */
public final class ReportJson {

  /** Bumped when a property changes meaning or goes away. */
  public static final int FORMAT_VERSION = 1;

  private ReportJson() {}

  public static String toJson(DoctorReport report) {
    StringBuilder out = new StringBuilder();
    out.append("{\n");
    out.append("  \"formatVersion\": ").append(FORMAT_VERSION).append(",\n");
    out.append("  \"cli\": ").append(Json.quote(report.cli())).append(",\n");
    out.append("  \"failOn\": ").append(Json.quote(report.failOn().jsonName())).append(",\n");
    out.append("  \"worst\": ").append(Json.quote(report.worst().jsonName())).append(",\n");
    out.append("  \"failed\": ").append(report.failed()).append(",\n");
    out.append("  \"checks\": [");
    String separator = "\n";
    for (CheckResult r : report.results()) {
      out.append(separator);
      separator = ",\n";
      out.append("    {")
          .append("\"id\": ")
          .append(Json.quote(r.id()))
          .append(", \"status\": ")
          .append(Json.quote(r.status().jsonName()))
          .append(", \"value\": ")
          .append(Json.quote(r.finding().value()))
          .append(", \"fix\": ")
          .append(Json.quote(r.finding().fix()))
          .append(", \"durationMillis\": ")
          .append(r.durationMillis())
          .append("}");
    }
    out.append(report.results().isEmpty() ? "]\n" : "\n  ]\n");
    out.append("}\n");
    return out.toString();
  }

  public static void write(DoctorReport report, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, toJson(report).getBytes(StandardCharsets.UTF_8));
  }
}
