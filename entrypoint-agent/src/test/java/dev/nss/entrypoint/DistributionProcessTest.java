package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launches the real JVM distribution (target/nss-entrypoint, made in the package phase) with a
 * stand-in target that prints its PID and then its arguments as NUL-terminated raw bytes.
 */
class DistributionProcessTest {
  private static final Path DIST =
      Path.of(System.getProperty("nss.entrypoint.dist", "target/nss-entrypoint")).toAbsolutePath();
  private static final Path LAUNCHER = DIST.resolve("bin/nss-entrypoint");

  /** sh arguments that end in bytes no Java string can carry through a POSIX-locale JVM. */
  private static final String EXEC_WITH_RAW_ARGS =
      "exec \"$0\" \"$@\" \"$(printf 'h\\303\\251llo w\\303\\266rld')\" \"$(printf '\\377\\376')\"";

  private static final byte[][] RAW_TAIL = {
    "héllo wörld".getBytes(StandardCharsets.UTF_8), {(byte) 0xff, (byte) 0xfe}
  };

  @TempDir Path tmp;
  Path target;
  Path workspace;
  Map<String, String> env;

  record Result(long pid, int status, byte[] stdout, String stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    assertTrue(
        Files.isExecutable(LAUNCHER),
        LAUNCHER + " missing: run ./mvnw -pl entrypoint-agent package");
    target = tmp.resolve("target.sh");
    Files.writeString(
        target,
        "#!/bin/sh\necho \"pid=$$\"\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done\n"
            + "exit \"${TARGET_EXIT:-0}\"\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    workspace = Files.createDirectory(tmp.resolve("workspace"));
    Files.writeString(workspace.resolve("config.yaml"), "x");
    env = new HashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", tmp.toString());
    // The container's usual locale: the JVM would decode non-ASCII argv bytes as U+FFFD.
    env.put("LANG", "C");
    env.put("LC_ALL", "POSIX");
    env.put("NSS_WORKSPACE", workspace.toString());
    env.put("NSS_ENTRYPOINT_TARGET", target.toString());
  }

  private Result launch(Path launcher, List<String> args, boolean rawTail) throws Exception {
    List<String> command = new ArrayList<>();
    if (rawTail) {
      // sh's PID is the launcher's: exec replaces sh, then the JVM, then the agent.
      command.add("/bin/sh");
      command.add("-c");
      command.add(EXEC_WITH_RAW_ARGS);
    }
    command.add(launcher.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.directory(tmp.toFile());
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<byte[]> stdout = readAll(process.getInputStream());
    CompletableFuture<byte[]> stderr = readAll(process.getErrorStream());
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launch did not finish");
    return new Result(
        process.pid(),
        process.exitValue(),
        stdout.get(),
        new String(stderr.get(), StandardCharsets.UTF_8));
  }

  private Result launch(List<String> args) throws Exception {
    return launch(LAUNCHER, args, false);
  }

  private static CompletableFuture<byte[]> readAll(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return in.readAllBytes();
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        });
  }

  /** Splits the target's output into its pid line and its raw arguments. */
  private static List<byte[]> targetArgs(Result result) {
    byte[] out = result.stdout();
    int newline = 0;
    while (out[newline] != '\n') {
      newline++;
    }
    List<byte[]> args = new ArrayList<>();
    int start = newline + 1;
    for (int i = start; i < out.length; i++) {
      if (out[i] == 0) {
        byte[] arg = new byte[i - start];
        System.arraycopy(out, start, arg, 0, arg.length);
        args.add(arg);
        start = i + 1;
      }
    }
    assertEquals(out.length, start, "output after the last NUL: " + result.out());
    return args;
  }

  @Test
  void targetKeepsThePidAndGetsTheArgumentsByteForByte() throws Exception {
    List<String> args =
        List.of("run", "", "two words", "quo\"te's", "line1\nline2", "  ", "--flag=$HOME");
    Result result = launch(LAUNCHER, args, true);
    assertEquals(0, result.status(), result.stderr());
    assertTrue(
        result.out().startsWith("pid=" + result.pid() + "\n"),
        "pid changed: launcher " + result.pid() + ", target said " + result.out());
    List<byte[]> got = targetArgs(result);
    assertEquals(args.size() + RAW_TAIL.length, got.size());
    for (int i = 0; i < args.size(); i++) {
      assertEquals(args.get(i), new String(got.get(i), StandardCharsets.UTF_8));
    }
    assertArrayEquals(RAW_TAIL[0], got.get(args.size()));
    assertArrayEquals(RAW_TAIL[1], got.get(args.size() + 1));
  }

  @Test
  void exitCodeIsTheTargets() throws Exception {
    env.put("TARGET_EXIT", "3");
    assertEquals(3, launch(List.of("x")).status());
    env.put("TARGET_EXIT", "0");
    assertEquals(0, launch(List.of("x")).status());
  }

  @Test
  void stdoutIsOnlyTheTargetsAndStderrOnlyTheHints() throws Exception {
    env.put("NSS_PREFLIGHT", "off");
    Result result = launch(List.of("a"));
    assertEquals("pid=" + result.pid() + "\na\0", result.out());
    assertEquals("", result.stderr(), "the JVM or the agent printed something");
  }

  @Test
  void hintsGoToStderr() throws Exception {
    Files.delete(workspace.resolve("config.yaml"));
    env.put("NSS_SHM_PATH", tmp.toString());
    Result result = launch(List.of("a"));
    assertEquals(0, result.status());
    assertEquals("pid=" + result.pid() + "\na\0", result.out());
    assertTrue(
        result.stderr().contains("[nss-container] WARNING: " + workspace + " is empty"),
        result.stderr());
    assertTrue(
        result.stderr().contains("[nss-container] HINT: HF_HOME is not set"), result.stderr());
    for (String line : result.stderr().split("\n")) {
      assertTrue(line.startsWith("[nss-container] "), "stray stderr line: " + line);
    }
  }

  @Test
  void noWorkspaceHintWhenTheWorkspaceHasContent() throws Exception {
    Result result = launch(List.of("a"));
    assertFalse(result.stderr().contains(workspace.toString()), result.stderr());
    assertTrue(result.stderr().contains("HINT: no Hugging Face token"), result.stderr());
  }

  @Test
  void infoOnlyCommandPrintsNoHints() throws Exception {
    env.put("NSS_WORKSPACE", tmp.resolve("absent").toString());
    Result result = launch(List.of("--help"));
    assertEquals("", result.stderr());
    assertEquals("pid=" + result.pid() + "\n--help\0", result.out());
  }

  @Test
  void strictModeWithAWarningExits78WithoutStartingTheTarget() throws Exception {
    env.put("NSS_PREFLIGHT", "strict");
    env.put("NSS_WORKSPACE", tmp.resolve("absent").toString());
    Result result = launch(List.of("a"));
    assertEquals(78, result.status());
    assertEquals("", result.out());
    assertTrue(
        result.stderr().contains("[nss-container] ERROR: NSS_PREFLIGHT=strict"), result.stderr());
  }

  @Test
  void missingTargetIs127() throws Exception {
    env.put("NSS_PREFLIGHT", "off");
    env.put("NSS_ENTRYPOINT_TARGET", "no-such-safe-synthesizer");
    Result result = launch(List.of());
    assertEquals(127, result.status());
    assertTrue(
        result.stderr().contains("no-such-safe-synthesizer was not found on PATH"),
        result.stderr());
    assertEquals("", result.out());
  }

  @Test
  void targetOnPathIsFound() throws Exception {
    env.put("NSS_PREFLIGHT", "off");
    env.put("NSS_ENTRYPOINT_TARGET", "target.sh");
    env.put("PATH", "/nonexistent:" + tmp + ":/usr/bin:/bin");
    Result result = launch(List.of("p"));
    assertEquals("pid=" + result.pid() + "\np\0", result.out());
  }

  @Test
  void nonExecutableTargetIs126() throws Exception {
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    env.put("NSS_PREFLIGHT", "off");
    Result result = launch(List.of());
    assertEquals(126, result.status());
    assertTrue(result.stderr().contains("is not an executable file"), result.stderr());
  }

  @Test
  void aTargetThatIsNeitherScriptNorElfIs126WithEnoexec() throws Exception {
    Files.write(target, new byte[] {1, 2, 3, 4, 5});
    env.put("NSS_PREFLIGHT", "off");
    Result result = launch(List.of());
    assertEquals(126, result.status());
    assertTrue(result.stderr().contains("ENOEXEC"), result.stderr());
  }

  @Test
  void reportIsWritten() throws Exception {
    Path report = tmp.resolve("report.json");
    env.put("NSS_PREFLIGHT_REPORT", report.toString());
    assertEquals(0, launch(List.of("a")).status());
    String json = Files.readString(report);
    for (String id :
        new String[] {
          "workspace", "hf-home", "hf-token", "gpu", "cuda-driver", "shm", "workspace-writable"
        }) {
      assertTrue(json.contains("{\"id\": \"" + id + "\", \"level\": "), id + " missing: " + json);
    }
  }

  @Test
  void launcherWorksThroughASymlinkFromAnotherDirectory() throws Exception {
    Path bin = Files.createDirectory(tmp.resolve("usr-local-bin"));
    Path link = Files.createSymbolicLink(bin.resolve("nss-entrypoint"), LAUNCHER.toAbsolutePath());
    env.put("NSS_PREFLIGHT", "off");
    Result result = launch(link, List.of("via-link"), false);
    assertEquals("pid=" + result.pid() + "\nvia-link\0", result.out());
    assertEquals("", result.stderr());
  }

  @Test
  void launcherWorksWhenFoundOnPath() throws Exception {
    env.put("NSS_PREFLIGHT", "off");
    env.put("PATH", DIST.resolve("bin").toAbsolutePath() + ":/usr/bin:/bin");
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", "exec nss-entrypoint on-path");
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals("pid=" + process.pid() + "\non-path\0", new String(out, StandardCharsets.UTF_8));
  }

  @Test
  void environmentIsInherited() throws Exception {
    Files.writeString(
        target, "#!/bin/sh\necho \"pid=$$\"\nprintf '%s\\0' \"$MY_SETTING\" \"$NSS_PREFLIGHT\"\n");
    env.put("MY_SETTING", "kept as is");
    env.put("NSS_PREFLIGHT", "off");
    Result result = launch(List.of());
    assertEquals("pid=" + result.pid() + "\nkept as is\0off\0", result.out());
  }

  @Test
  void distributionLayout() {
    assertTrue(Files.isRegularFile(DIST.resolve("lib/nss-entrypoint.aot")));
    assertTrue(Files.isRegularFile(DIST.resolve("lib/nss-entrypoint.jar")));
    assertTrue(Files.isExecutable(DIST.resolve("runtime/bin/java")));
  }

  @Test
  void jarCarriesTheRecipeAndTheNativeImageOptionsButNoGraalVmClasses() throws IOException {
    try (JarFile jar = new JarFile(DIST.resolve("lib/nss-entrypoint.jar").toFile())) {
      assertTrue(jar.getEntry("nss-dist/make-jvm-dist.sh") != null);
      String prefix = "META-INF/native-image/dev.nss/nss-entrypoint/";
      String properties =
          new String(
              jar.getInputStream(jar.getEntry(prefix + "native-image.properties")).readAllBytes(),
              StandardCharsets.UTF_8);
      assertTrue(properties.contains("Args = -H:-ReportUnsupportedElementsAtRuntime"), properties);
      assertEquals(
          "dev.nss.entrypoint.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
      assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("org/graalvm/")));
    }
  }

  @Test
  void theJvmNeverLoadsGraalVmOrForeignClasses() throws Exception {
    // The launcher's JVM with class loading logged: neither the C interface nor FFM is touched.
    // The launcher finds its home as bin/..: a copy in tmp/bin with the runtime and jar linked.
    Path logging = Files.createDirectory(tmp.resolve("bin")).resolve("nss-entrypoint");
    Files.writeString(
        logging,
        Files.readString(LAUNCHER)
            .replace("-Xlog:disable", "-Xlog:class+load=info:file=" + tmp.resolve("classes.log")));
    Files.setPosixFilePermissions(logging, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(tmp.resolve("runtime"), DIST.resolve("runtime"));
    Files.createSymbolicLink(tmp.resolve("lib"), DIST.resolve("lib"));
    Result result = launch(logging, List.of("a"), false);
    assertEquals(0, result.status(), result.stderr());
    String classes = Files.readString(tmp.resolve("classes.log"));
    assertTrue(classes.contains("dev.nss.entrypoint.ScriptExec"), classes);
    assertFalse(classes.contains("org.graalvm"), classes);
    assertFalse(classes.contains("dev.nss.entrypoint.CExecv"), classes);
    assertFalse(classes.contains("dev.nss.entrypoint.Execv "), classes);
    assertFalse(classes.contains("java.lang.foreign.Linker"), classes);
  }

  @Test
  void jvmDistributionRecipeRejectsBadArguments() throws Exception {
    Process process =
        new ProcessBuilder(
                "/bin/sh", DIST.resolve("../classes/nss-dist/make-jvm-dist.sh").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(64, process.exitValue());
    assertTrue(out.contains("usage: sh make-jvm-dist.sh <jdk-home> <agent-jar> <out-dir>"), out);
  }

  @Test
  void jvmDistributionRecipeRejectsAnUnknownJitModeBeforeTouchingTheOutput() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));
    Files.writeString(out.resolve("keep"), "x");
    ProcessBuilder builder =
        new ProcessBuilder(
                "/bin/sh",
                DIST.resolve("../classes/nss-dist/make-jvm-dist.sh").toString(),
                System.getProperty("java.home"),
                DIST.resolve("lib/nss-entrypoint.jar").toString(),
                out.toString())
            .redirectErrorStream(true);
    builder.environment().put("NSS_ENTRYPOINT_JIT", "c2");
    Process process = builder.start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(64, process.exitValue(), text);
    assertTrue(text.contains("NSS_ENTRYPOINT_JIT must be interpreter or c1"), text);
    assertTrue(Files.exists(out.resolve("keep")));
  }

  @Test
  void shippedLauncherRunsTheInterpreterOnly() throws IOException {
    String launcher = Files.readString(LAUNCHER);
    assertTrue(launcher.contains(" -Xint "), launcher);
    assertTrue(launcher.contains("-XX:+UseSerialGC"), launcher);
    assertTrue(launcher.contains("-XX:AOTCache="), launcher);
    assertTrue(launcher.contains("-Dnss.entrypoint.scriptExec=true"), launcher);
    assertTrue(
        launcher.contains("exec \"${NSS_ENTRYPOINT_TARGET-safe-synthesizer}\" \"$@\""), launcher);
  }
}
