package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON report against the schema kept in the repo, and the schema against the writer. */
class ReportJsonTest {

  static Object schema() throws IOException {
    try (InputStream in =
        ReportJsonTest.class.getResourceAsStream("/dev/nss/doctor/nss-doctor.schema.json")) {
      return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static DoctorReport sample() {
    return new DoctorReport(
        "docker",
        FailOn.ERROR,
        List.of(
            new CheckResult(
                "cli", Finding.ok("Docker version 28.2.2 at /usr/local/bin/docker"), 12),
            new CheckResult(
                "buildkit",
                Finding.error(
                    "line \"one\"\nline two\ttab \\ back ✗ é \u0001",
                    "-Dnss.containerCli=/usr/bin/docker"),
                130),
            new CheckResult(
                "hf-token", Finding.warning("no token", "export HF_TOKEN=<your token>"), 0)));
  }

  @Test
  void writtenReportValidatesAndRoundTrips(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("target/nss-doctor.json");
    ReportJson.write(sample(), file);
    Object json = Json.parse(Files.readString(file));
    assertEquals(List.of(), MiniSchema.validate(schema(), json));
    assertEquals("error", Json.at(json, "worst"));
    assertEquals(Boolean.TRUE, Json.at(json, "failed"));
    List<?> checks = (List<?>) Json.at(json, "checks");
    assertEquals(3, checks.size());
    assertEquals("line \"one\"\nline two\ttab \\ back ✗ é \u0001", Json.at(checks.get(1), "value"));
    assertEquals(130L, Json.at(checks.get(1), "durationMillis"));
    assertEquals("", Json.at(checks.get(0), "fix"));
  }

  @Test
  void theReportWrittenOnTheGpuHostValidates() throws IOException {
    Object json = Json.parse(FakeCommandRunner.resource("report-gpu-host.json"));
    assertEquals(List.of(), MiniSchema.validate(schema(), json));
  }

  @Test
  void emptyReportValidates() throws IOException {
    Object json =
        Json.parse(ReportJson.toJson(new DoctorReport("podman", FailOn.NEVER, List.of())));
    assertEquals(List.of(), MiniSchema.validate(schema(), json));
    assertEquals("ok", Json.at(json, "worst"));
  }

  @Test
  void everyPropertyTheWriterEmitsIsDeclaredAndRequired() throws IOException {
    Object json = Json.parse(ReportJson.toJson(sample()));
    Object schema = schema();
    assertEquals(keys(json), keys(Json.at(schema, "properties")));
    assertEquals(keys(json), Json.at(schema, "required"));
    Object item = Json.at(schema, "properties", "checks", "items");
    Object firstCheck = ((List<?>) Json.at(json, "checks")).get(0);
    assertEquals(keys(firstCheck), keys(Json.at(item, "properties")));
    assertEquals(keys(firstCheck), Json.at(item, "required"));
  }

  @Test
  void schemaListsExactlyTheCheckIdsAndStatuses() throws IOException {
    Object item = Json.at(schema(), "properties", "checks", "items", "properties");
    assertEquals(Checks.ids(), Json.at(item, "id", "enum"));
    List<String> statuses = new ArrayList<>();
    for (Status s : Status.values()) {
      statuses.add(s.jsonName());
    }
    assertEquals(statuses, Json.at(item, "status", "enum"));
  }

  @Test
  void theValidatorCatchesViolations() throws IOException {
    String json =
        ReportJson.toJson(sample())
            .replace("\"formatVersion\": 1", "\"formatVersion\": 1, \"extra\": true")
            .replace("\"status\": \"warning\"", "\"status\": \"meh\"")
            .replace("\"durationMillis\": 0", "\"durationMillis\": -1")
            .replace(", \"fix\": \"\"", "");
    List<String> errors = MiniSchema.validate(schema(), Json.parse(json));
    assertTrue(
        errors.contains("$: property 'extra' is not declared in the schema"), errors.toString());
    assertTrue(
        errors.contains("$.checks[2].status: \"meh\" is not one of [ok, warning, error]"),
        errors.toString());
    assertTrue(
        errors.contains("$.checks[2].durationMillis: -1 is below the minimum 0"),
        errors.toString());
    assertTrue(errors.contains("$.checks[0]: missing required property 'fix'"), errors.toString());
  }

  private static List<String> keys(Object object) {
    return new ArrayList<>(((Map<String, ?>) object).keySet());
  }

  @Test
  void aReportWithoutChecksHasAnEmptyList() {
    assertEquals(
        "{\n"
            + "  \"formatVersion\": 1,\n"
            + "  \"cli\": \"podman\",\n"
            + "  \"failOn\": \"warning\",\n"
            + "  \"worst\": \"ok\",\n"
            + "  \"failed\": false,\n"
            + "  \"checks\": []\n"
            + "}\n",
        ReportJson.toJson(new DoctorReport("podman", FailOn.WARNING, List.of())));
  }
}
