package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Findings and boundaries of the doctor that the other doctor tests leave open. */
class DoctorBehaviourTest {

  private static final String SMI_QUERY =
      "nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader";

  @TempDir Path tmp;
  TestHost host;

  @BeforeEach
  void setUp() {
    host = new TestHost(tmp);
  }

  @Test
  void aSmallDevShmIsAWarningWithTheShmSizeFix() throws Exception {
    // A zip file system reports its file's size as the store's total space: a /dev/shm of a few
    // bytes.
    try (FileSystem zip =
        FileSystems.newFileSystem(tmp.resolve("root.zip"), Map.of("create", "true"))) {
      Path root = zip.getPath("/");
      Files.createDirectories(root.resolve("dev/shm"));
      DoctorEnvironment env =
          new DoctorEnvironment(host.env, host.runner, FakeHardware.none(), root, tmp);
      Finding f = new MemoryCheck().run(new CheckContext(host.settings().build(), env));
      assertEquals(Status.WARNING, f.status());
      assertTrue(f.value().startsWith("64 GiB memory, /dev/shm "), f.value());
      assertTrue(f.value().endsWith("; /dev/shm under 1 GiB"), f.value());
      assertTrue(f.fix().contains("nss.shmSize, default 1g"), f.fix());
    }
  }

  @Test
  void memoryOf16GiBIsEnoughAndAMissingDevShmIsUnknown() throws Exception {
    host.hardware = new FakeHardware(List.of(), OptionalLong.of(16L << 30));
    Files.delete(host.root.resolve("dev/shm"));
    assertEquals(
        Finding.ok("16 GiB memory, /dev/shm unknown"), new MemoryCheck().run(host.context()));
  }

  @Test
  void anNvidiaCardWithoutAnyDriverSaysNoDriverIsLoaded() throws Exception {
    host.hardware =
        new FakeHardware(
            List.of(
                new HostHardware.GraphicsCard(
                    "GH100 [H100 SXM5 80GB]", "NVIDIA Corporation [0x10de]", "0x2330", 0)),
            OptionalLong.empty());
    Finding f = new GpuCheck().run(host.context());
    assertEquals(
        Finding.warning(
            "1 GPU (from OSHI): GH100 [H100 SXM5 80GB]; nvidia-smi not found, no NVIDIA driver "
                + "loaded",
            "install the NVIDIA driver (nvidia-smi must list the GPU)"),
        f);
  }

  @Test
  void anNvidiaCardWithAFailingNvidiaSmiPointsAtTheDriver() throws Exception {
    host.program("nvidia-smi");
    host.runner.answer(SMI_QUERY, 9, "", "NVIDIA-SMI has failed\n");
    host.hardware =
        new FakeHardware(
            List.of(
                new HostHardware.GraphicsCard(
                    "GH100", "NVIDIA Corporation [0x10de]", "0x2330", 80L << 30)),
            OptionalLong.empty());
    Finding f = new GpuCheck().run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertTrue(f.value().startsWith("1 GPU (from OSHI): GH100 (80 GiB); "), f.value());
    assertFalse(f.value().contains("no NVIDIA driver loaded"), f.value());
    assertEquals("check the driver: run nvidia-smi and fix what it reports", f.fix());
  }

  @Test
  void procGpusWithoutNvidiaSmiAreEnough() throws Exception {
    host.hostFile(
        "/proc/driver/nvidia/gpus/0000:00:06.0/information", "Model: \t\t NVIDIA H100 80GB HBM3\n");
    host.hostFile("/proc/driver/nvidia/gpus/0000:00:05.0/information", "Model: \t\t NVIDIA A10G\n");
    Finding f = new GpuCheck().run(host.context());
    assertEquals(Status.OK, f.status());
    assertTrue(f.value().startsWith("2 GPUs (from /proc/driver/nvidia): NVIDIA A10G"), f.value());
  }

  @Test
  void podman5PassesTheGpusFlagOn() throws Exception {
    String info =
        FakeCommandRunner.resource("podman/info-handwritten-4.3.json").replace("4.3.1", "5.0.0");
    host.withInfo("podman", info);
    host.hostFile("/etc/cdi/nvidia.yaml", "kind: nvidia.com/gpu\n");
    assertEquals(
        Finding.ok("CDI spec /etc/cdi/nvidia.yaml; the run goals pass --gpus all"),
        new NvidiaRuntimeCheck().run(host.context()));
  }

  @Test
  void checksThatNeedNoEngineRunNoEngineCommand() throws Exception {
    host.dockerWithCapturedInfo();
    new Doctor(host.settings().checks("gpu,memory,hf-cache,hf-token").build(), host.environment())
        .run();
    assertTrue(
        host.runner.commands().stream().noneMatch(c -> c.argv().contains("info")),
        host.runner.commands().toString());
  }

  @Test
  void theEngineIsAskedOnceForAllChecksThatNeedIt() throws Exception {
    host.dockerWithCapturedInfo();
    new Doctor(
            host.settings().checks("engine,buildkit,nvidia-runtime,disk").build(),
            host.environment())
        .run();
    assertEquals(
        1,
        host.runner.commands().stream().filter(c -> c.argv().contains("info")).count(),
        host.runner.commands().toString());
  }

  @Test
  void everyCheckIsListedWithWhatItChecks() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertEquals(DoctorMain.PASSED, new DoctorMain(host.environment()).run(print, print, "--list"));
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(Checks.ids().size(), lines.size(), lines.toString());
    for (int i = 0; i < lines.size(); i++) {
      String id = Checks.ids().get(i);
      assertTrue(
          lines.get(i).matches(java.util.regex.Pattern.quote(id) + " +\\S.{20,}"), lines.get(i));
    }
  }

  @Test
  void badArgumentsPrintTheUsage() {
    for (String[] args : List.of(new String[] {"--frobnicate", "x"}, new String[] {"--json"})) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream print = new PrintStream(err, true, StandardCharsets.UTF_8);
      assertEquals(DoctorMain.USAGE, new DoctorMain(host.environment()).run(print, print, args));
      assertTrue(
          err.toString(StandardCharsets.UTF_8).contains("usage: DoctorMain [--json FILE]"),
          err.toString());
    }
  }

  @Test
  void theJsonReportIsWrittenAndItsPathPrinted() throws Exception {
    Path json = tmp.resolve("out/report.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    new DoctorMain(host.environment())
        .run(print, print, "--checks", "memory", "--json", json.toString());
    assertTrue(Files.isRegularFile(json));
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("report: " + json.toAbsolutePath()),
        out.toString());
  }

  @Test
  void sizesChangeUnitAt1024AndDropTheDecimalFrom100() {
    assertEquals("1023 B", ByteSize.format(1023));
    assertEquals("1 KiB", ByteSize.format(1024));
    assertEquals("99.5 MiB", ByteSize.format((long) (99.5 * (1 << 20))));
    assertEquals("100 MiB", ByteSize.format(100L << 20));
    assertEquals("1024 PiB", ByteSize.format(1L << 60));
  }

  @Test
  void theTimeoutIsFrom1To3600Seconds() throws Exception {
    assertEquals(java.time.Duration.ofSeconds(1), host.settings().timeout("1").build().timeout());
    assertEquals(
        java.time.Duration.ofSeconds(3600), host.settings().timeout("3600").build().timeout());
    org.junit.jupiter.api.Assertions.assertThrows(
        dev.nss.core.InvalidSettingException.class, () -> host.settings().timeout("3601").build());
  }

  @Test
  void optionsAlsoTakeTheirValueAfterAnEqualsSign() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertEquals(
        DoctorMain.PASSED,
        new DoctorMain(host.environment()).run(print, print, "--checks=cli", "--fail-on=never"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("(nss.doctor.failOn=never)"), text);
    assertFalse(text.contains("memory"), "only the cli check ran: " + text);
  }
}
