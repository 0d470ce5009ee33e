package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
  /** Records what would have been exec'd. */
  static final class RecordingLauncher implements Launcher {
    Path program;
    List<byte[]> argv;
    int status = 55;

    @Override
    public int exec(Path program, List<byte[]> argv, PrintStream err) {
      this.program = program;
      this.argv = argv;
      return status;
    }
  }

  @TempDir Path tmp;
  Map<String, String> env;
  FakeHost host;
  RecordingLauncher launcher;
  ByteArrayOutputStream errBytes;
  Path target;
  Path workspace;

  @BeforeEach
  void setUp() throws IOException {
    host = new FakeHost();
    launcher = new RecordingLauncher();
    errBytes = new ByteArrayOutputStream();
    Path bin = Files.createDirectory(tmp.resolve("bin"));
    target = PreflightTest.executable(bin.resolve("safe-synthesizer"));
    workspace = Files.createDirectory(tmp.resolve("workspace"));
    env = new HashMap<>();
    env.put("PATH", bin.toString());
    env.put("HOME", tmp.toString());
    env.put("NSS_WORKSPACE", workspace.toString());
    env.put("NSS_SHM_PATH", tmp.toString());
  }

  /** An environment in which no check has anything to say. */
  private void healthy() throws IOException {
    Files.writeString(workspace.resolve("config.yaml"), "x");
    env.put("HF_HOME", Files.createDirectory(tmp.resolve("hf")).toString());
    env.put("HF_TOKEN", "hf_secret_token_value");
    PreflightTest.executable(tmp.resolve("bin/nvidia-smi"));
    Path dev = Files.createDirectory(tmp.resolve("dev"));
    Files.createFile(dev.resolve("nvidiactl"));
    Files.createFile(dev.resolve("nvidia0"));
  }

  private int run(String... args) {
    List<byte[]> raw = new ArrayList<>();
    for (String arg : args) {
      raw.add(arg.getBytes(StandardCharsets.UTF_8));
    }
    return run(raw);
  }

  private int run(List<byte[]> args) {
    PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    return new Main(host, tmp.resolve("dev"), launcher).run(env, err, args);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void warnModePrintsHintsThenExecsWithArgsUntouched() {
    List<byte[]> args =
        List.of(
            "run".getBytes(StandardCharsets.US_ASCII),
            new byte[0],
            "a b\n\"c'".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xc3, (byte) 0xa9, (byte) 0xff});
    int status = run(args);
    assertEquals(55, status, "the launcher's status is returned");
    assertEquals(target, launcher.program);
    assertEquals(5, launcher.argv.size());
    assertArrayEquals("safe-synthesizer".getBytes(StandardCharsets.US_ASCII), launcher.argv.get(0));
    for (int i = 0; i < args.size(); i++) {
      assertArrayEquals(args.get(i), launcher.argv.get(i + 1));
    }
    String err = err();
    assertTrue(err.contains("[nss-container] WARNING: " + workspace + " is empty"), err);
    assertTrue(err.contains("[nss-container] HINT: HF_HOME is not set"), err);
    assertTrue(err.contains("[nss-container] HINT: no Hugging Face token"), err);
    assertTrue(err.contains("[nss-container] WARNING: nvidia-smi is not on PATH"), err);
    for (String line : err.split("\n")) {
      assertTrue(
          line.startsWith("[nss-container] WARNING: ") || line.startsWith("[nss-container] HINT: "),
          line);
      assertTrue(line.contains("Fix: "), line);
    }
  }

  @Test
  void hintsComeInTheIssuesOrder() {
    env.put("HF_HOME", tmp.resolve("absent").toString());
    run();
    String err = err();
    int workspaceAt = err.indexOf("is empty");
    int hfHomeAt = err.indexOf("HF_HOME=");
    int tokenAt = err.indexOf("no Hugging Face token");
    int gpuAt = err.indexOf("nvidia-smi");
    assertTrue(
        0 <= workspaceAt && workspaceAt < hfHomeAt && hfHomeAt < tokenAt && tokenAt < gpuAt, err);
  }

  @Test
  void healthyContainerPrintsNothing() throws IOException {
    healthy();
    assertEquals(55, run("--foo"));
    assertEquals("", err());
  }

  @Test
  void tokenIsNeverPrinted() throws IOException {
    healthy();
    env.put("NSS_WORKSPACE", tmp.resolve("absent").toString());
    env.put("NSS_PREFLIGHT_REPORT", tmp.resolve("report.json").toString());
    run();
    String report = Files.readString(tmp.resolve("report.json"));
    for (String output : List.of(err(), report)) {
      assertFalse(output.contains("hf_secret_token_value"), output);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "--version", "-V", "config"})
  void infoOnlyArgumentsSkipAllChecks(String arg) {
    assertEquals(55, run("train", arg));
    assertEquals("", err());
    assertEquals(3, launcher.argv.size());
  }

  @Test
  void argumentsThatMerelyLookLikeInfoDoNotSkip() {
    run("--helpx", "configs", "-H");
    assertTrue(err().contains("WARNING"), err());
  }

  @Test
  void offSkipsTheChecks() {
    env.put("NSS_PREFLIGHT", "off");
    assertEquals(55, run("x"));
    assertEquals("", err());
    assertEquals(target, launcher.program);
  }

  @Test
  void strictWithAWarningExits78WithoutExec() {
    env.put("NSS_PREFLIGHT", "strict");
    assertEquals(78, run("x"));
    assertNull(launcher.program);
    assertTrue(
        err().contains("[nss-container] ERROR: NSS_PREFLIGHT=strict and 2 warnings above"), err());
    assertTrue(err().contains("NSS_PREFLIGHT=warn"), err());
  }

  @Test
  void strictWithOnlyHintsStillExecs() throws IOException {
    healthy();
    env.remove("HF_TOKEN");
    env.put("NSS_PREFLIGHT", "strict");
    assertEquals(55, run("x"));
    assertTrue(err().contains("HINT: no Hugging Face token"), err());
  }

  @Test
  void strictInfoOnlyCommandStillExecs() {
    env.put("NSS_PREFLIGHT", "strict");
    assertEquals(55, run("--help"));
  }

  @Test
  void unknownModeRunsAsWarnAndSaysSo() {
    env.put("NSS_PREFLIGHT", "loud");
    assertEquals(55, run());
    String err = err();
    assertTrue(
        err.startsWith(
            "[nss-container] HINT: NSS_PREFLIGHT=loud is not understood; running as warn"),
        err);
    assertTrue(err.contains("WARNING: " + workspace + " is empty"), err);
  }

  @Test
  void unknownModeIsReportedAsWarn() throws IOException {
    Path report = tmp.resolve("report.json");
    env.put("NSS_PREFLIGHT_REPORT", report.toString());
    env.put("NSS_PREFLIGHT", "loud");
    run();
    assertTrue(Files.readString(report).contains("\"mode\": \"warn\""), Files.readString(report));
  }

  @Test
  void messagesAreFlushedBeforeTheAgentReturnsItsOwnStatus() {
    // A stream that does not flush by itself: what the agent printed must reach it before it exits.
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    PrintStream err =
        new PrintStream(new java.io.BufferedOutputStream(bytes), false, StandardCharsets.UTF_8);
    env.put("NSS_PREFLIGHT", "strict");
    assertEquals(78, new Main(host, tmp.resolve("dev"), launcher).run(env, err, List.of()));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("ERROR: NSS_PREFLIGHT=strict"));
    bytes.reset();
    env.put("NSS_PREFLIGHT", "off");
    env.put("NSS_ENTRYPOINT_TARGET", "no-such-program");
    assertEquals(127, new Main(host, tmp.resolve("dev"), launcher).run(env, err, List.of()));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("no-such-program was not found"));
  }

  @Test
  void modeIsCaseAndSpaceTolerant() {
    env.put("NSS_PREFLIGHT", " OFF ");
    run();
    assertEquals("", err());
  }

  @Test
  void reportListsEveryCheck() throws IOException {
    Path report = tmp.resolve("report.json");
    env.put("NSS_PREFLIGHT_REPORT", report.toString());
    assertEquals(55, run());
    String json = Files.readString(report);
    assertTrue(json.contains("\"mode\": \"warn\""), json);
    assertTrue(json.contains("\"skipped\": null"), json);
    String[] ids = {
      "workspace", "hf-home", "hf-token", "gpu", "cuda-driver", "shm", "workspace-writable"
    };
    int last = -1;
    for (String id : ids) {
      int at = json.indexOf("{\"id\": \"" + id + "\"");
      assertTrue(at > last, id + " missing or out of order in " + json);
      last = at;
    }
    assertTrue(
        json.contains("\"level\": \"WARNING\", \"message\": \"" + workspace + " is empty"), json);
    assertTrue(json.contains("\"level\": \"OK\""), json);
    assertTrue(json.matches("(?s).*\"durationMs\": \\d+\\.\\d{3}}.*"), json);
  }

  @Test
  void reportOfSkippedChecksSaysWhy() throws IOException {
    Path report = tmp.resolve("report.json");
    env.put("NSS_PREFLIGHT_REPORT", report.toString());
    run("--version");
    assertTrue(Files.readString(report).contains("\"skipped\": \"info-only command\""));
  }

  @Test
  void unwritableReportIsAHintAndTheLaunchGoesOn() {
    env.put("NSS_PREFLIGHT_REPORT", tmp.resolve("no/such/dir/report.json").toString());
    env.put("NSS_PREFLIGHT", "off");
    assertEquals(55, run());
    assertTrue(
        err().startsWith("[nss-container] HINT: cannot write the preflight report to "), err());
    assertTrue(err().contains("Fix: -e NSS_PREFLIGHT_REPORT="), err());
  }

  @Test
  void targetNotFoundIs127() {
    env.put("NSS_ENTRYPOINT_TARGET", "no-such-program");
    env.put("NSS_PREFLIGHT", "off");
    assertEquals(127, run());
    assertNull(launcher.program);
    assertTrue(
        err().contains("[nss-container] ERROR: no-such-program was not found on PATH"), err());
  }

  @Test
  void absoluteTargetThatDoesNotExistIs127() {
    env.put("NSS_ENTRYPOINT_TARGET", tmp.resolve("nope").toString());
    assertEquals(127, run());
  }

  @Test
  void targetNotExecutableIs126() throws IOException {
    Path plain = Files.writeString(tmp.resolve("plain"), "#!/bin/sh\n");
    env.put("NSS_ENTRYPOINT_TARGET", plain.toString());
    assertEquals(126, run());
    assertTrue(err().contains("ERROR: target " + plain + " is not an executable file"), err());
    assertNull(launcher.program);
  }

  @Test
  void absoluteTargetOverridesPath() throws IOException {
    Path other = PreflightTest.executable(tmp.resolve("other"));
    env.put("NSS_ENTRYPOINT_TARGET", other.toString());
    run("a");
    assertEquals(other, launcher.program);
    assertArrayEquals(other.toString().getBytes(StandardCharsets.UTF_8), launcher.argv.get(0));
  }

  @Test
  void scriptExecHandsAResolvedTargetBackWithStatus0() {
    PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    env.put("NSS_PREFLIGHT", "off");
    assertEquals(0, new Main(host, tmp.resolve("dev"), new ScriptExec()).run(env, err, List.of()));
    env.put("NSS_ENTRYPOINT_TARGET", "no-such-program");
    assertEquals(
        127, new Main(host, tmp.resolve("dev"), new ScriptExec()).run(env, err, List.of()));
  }
}
