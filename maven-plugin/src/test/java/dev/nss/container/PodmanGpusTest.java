package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.InvalidSettingException;
import dev.nss.engine.PodmanGpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Podman GPUs: {@code --gpus} into CDI devices for podman &lt; 5, and a missing CDI spec caught
 * before the run.
 */
class PodmanGpusTest {

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
  }

  /** A host whose /etc/cdi holds an NVIDIA spec, under {@code tmp}. */
  static Function<String, Path> hostWithNvidiaSpec(Path tmp) throws IOException {
    Path root = tmp.resolve("host-with-spec");
    Path cdi = Files.createDirectories(root.resolve("etc/cdi"));
    Files.writeString(cdi.resolve("nvidia.yaml"), "cdiVersion: 0.5.0\nkind: nvidia.com/gpu\n");
    return p -> root.resolve(p.substring(1));
  }

  /** A host with no CDI spec directories, under {@code tmp}. */
  static Function<String, Path> hostWithoutSpecs(Path tmp) {
    return p -> tmp.resolve("host-without-specs").resolve(p.substring(1));
  }

  @Test
  void gpusValuesBecomeCdiDevices() throws Exception {
    assertEquals(
        List.of("--device", "nvidia.com/gpu=all"), PodmanGpus.toCdi(List.of("--gpus", "all")));
    assertEquals(
        List.of("--device", "nvidia.com/gpu=all"), PodmanGpus.toCdi(List.of("--gpus=all")));
    assertEquals(
        List.of("--device", "nvidia.com/gpu=0", "--device", "nvidia.com/gpu=1"),
        PodmanGpus.toCdi(List.of("--gpus", "2")));
    assertEquals(
        List.of("--device", "nvidia.com/gpu=0", "--device", "nvidia.com/gpu=2", "--ipc=host"),
        PodmanGpus.toCdi(List.of("--gpus", "\"device=0,2\"", "--ipc=host")));
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> PodmanGpus.toCdi(List.of("--gpus", "capabilities=compute")));
    assertTrue(
        e.getMessage().startsWith("nss.gpuFlag: --gpus capabilities=compute has no CDI form"),
        e.getMessage());
  }

  @Test
  void versionEdgesDecideWhetherGpusIsIgnored() throws Exception {
    assertTrue(PodmanGpus.ignoresGpusFlag("4"));
    assertTrue(PodmanGpus.ignoresGpusFlag(" 4.9.4\n"));
    assertFalse(PodmanGpus.ignoresGpusFlag("5"));
    assertFalse(PodmanGpus.ignoresGpusFlag("10.0.0"));
    assertFalse(PodmanGpus.ignoresGpusFlag("dev-build"));
    assertEquals(List.of("--ipc=host"), PodmanGpus.flagsFor("4.3.1", List.of("--ipc=host")));
  }

  @Test
  void trailingGpusWithoutValueIsKeptAndOtherFlagsStay() throws Exception {
    assertEquals(
        List.of("--ipc=host", "--gpus"), PodmanGpus.toCdi(List.of("--ipc=host", "--gpus")));
    assertEquals(
        List.of("--device", "nvidia.com/gpu=0", "--device", "nvidia.com/gpu=1", "-t"),
        PodmanGpus.toCdi(List.of("--gpus=2", "-t")));
    assertEquals(List.of(), PodmanGpus.toCdi(List.of("--gpus", "0")));
  }

  @Test
  void onlyNvidiaCdiDevicesNeedASpec() {
    assertTrue(PodmanGpus.requestsCdiGpus(List.of("--device", "nvidia.com/gpu=all")));
    assertTrue(PodmanGpus.requestsCdiGpus(List.of("-t", "--device=nvidia.com/gpu=0")));
    assertFalse(PodmanGpus.requestsCdiGpus(List.of("--device", "/dev/fuse")));
    assertFalse(PodmanGpus.requestsCdiGpus(List.of("nvidia.com/gpu=all", "--device")));
    assertFalse(PodmanGpus.requestsCdiGpus(List.of("--device=/dev/nvidia0")));
    assertFalse(PodmanGpus.requestsCdiGpus(List.of()));
  }

  @Test
  void specFilesWithoutTheNvidiaKindDoNotCount() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("cdi-other"));
    Files.writeString(dir.resolve("amd.yaml"), "kind: amd.com/gpu\n");
    Files.writeString(dir.resolve("nvidia.json"), "{\"kind\": \"nvidia.com/gpu\"}");
    Files.writeString(dir.resolve("nvidia.txt"), "kind: nvidia.com/gpu\n");
    assertEquals(
        List.of("/etc/cdi/nvidia.json"),
        PodmanGpus.nvidiaCdiSpecs(
            List.of("/etc/cdi", "/var/run/cdi"),
            d -> d.equals("/etc/cdi") ? dir : tmp.resolve("none")));
  }

  @Test
  void onlyPodmanBeforeFiveIgnoresGpus() throws Exception {
    assertTrue(PodmanGpus.ignoresGpusFlag("4.3.1"));
    assertFalse(PodmanGpus.ignoresGpusFlag("5.0.0"));
    assertEquals(List.of("--gpus", "all"), PodmanGpus.flagsFor("5.2.1", List.of("--gpus", "all")));
    assertEquals(
        List.of("--device", "nvidia.com/gpu=all"),
        PodmanGpus.flagsFor("4.9.4", List.of("--gpus", "all")));
  }

  @Test
  void nvidiaSpecsAreFoundByTheirKind() throws Exception {
    Path cdi = Files.createDirectories(tmp.resolve("etc/cdi"));
    Files.writeString(cdi.resolve("other.yaml"), "cdiVersion: 0.5.0\nkind: vendor.example/fpga\n");
    assertEquals(
        List.of(),
        PodmanGpus.nvidiaCdiSpecs(PodmanGpus.CDI_DIRS, p -> tmp.resolve(p.substring(1))));
    Files.writeString(cdi.resolve("nvidia.yaml"), "cdiVersion: 0.5.0\nkind: nvidia.com/gpu\n");
    assertEquals(
        List.of("/etc/cdi/nvidia.yaml"),
        PodmanGpus.nvidiaCdiSpecs(PodmanGpus.CDI_DIRS, p -> tmp.resolve(p.substring(1))));
  }

  @Test
  void aSpecThatCannotBeReadDeclaresNoGpus() throws Exception {
    Path cdi = Files.createDirectories(tmp.resolve("etc/cdi"));
    Files.createDirectories(cdi.resolve("nvidia.yaml"));
    assertEquals(
        List.of(),
        PodmanGpus.nvidiaCdiSpecs(PodmanGpus.CDI_DIRS, p -> tmp.resolve(p.substring(1))));
  }

  @Test
  void podmanVersionsBeforeFiveIgnoreGpus() {
    assertTrue(PodmanGpus.ignoresGpusFlag("4.9.4"));
    assertTrue(PodmanGpus.ignoresGpusFlag(" 4\n"));
    assertFalse(PodmanGpus.ignoresGpusFlag("5.0.0"));
    assertFalse(PodmanGpus.ignoresGpusFlag("10"));
    assertFalse(PodmanGpus.ignoresGpusFlag(".4"), "unknown: a current one");
    assertFalse(PodmanGpus.ignoresGpusFlag("dev"), "unknown: a current one");
  }

  /** Without the test seam, the run goal looks for specs in this host's CDI directories. */
  @Test
  void theRunGoalReadsThisHostsCdiSpecs() throws Exception {
    f.processes.on("version", "echo 4.3.1");
    GoalSettings s = f.settings().cli("podman").gpuFlag("--gpus all");
    if (PodmanGpus.nvidiaCdiSpecs(PodmanGpus.CDI_DIRS, Path::of).isEmpty()) {
      InvalidSettingException e =
          assertThrows(InvalidSettingException.class, () -> f.goals().runGpu(s, false, true));
      assertTrue(e.getMessage().contains("but there is no NVIDIA CDI spec"), e.getMessage());
    } else {
      f.goals().runGpu(s, false, true);
      assertEquals(1, f.processes.verbs("create").size(), f.processes.calls.toString());
    }
  }

  /** The default --gpus all on podman 4: the run gets the CDI form, and the log says so. */
  @Test
  void runGoalTurnsGpusIntoCdiDevicesOnPodmanFour() throws Exception {
    f.processes.on("version", "echo 4.3.1");
    f.goals()
        .cdiHost(hostWithNvidiaSpec(tmp))
        .runGpu(f.settings().cli("podman").gpuFlag("--gpus all"), false, true);
    assertEquals(
        List.of("podman", "version", "--format", "{{.Client.Version}}"), f.processes.calls.get(0));
    List<String> run = f.processes.verbs("create").get(0);
    int at = run.indexOf("--device");
    assertEquals(List.of("--device", "nvidia.com/gpu=all", "-w"), run.subList(at, at + 3));
    assertFalse(run.contains("--gpus"), run.toString());
    assertTrue(
        f.log.contains(
            "podman 4.3.1 ignores --gpus: passing --device nvidia.com/gpu=all (CDI devices) "
                + "instead of --gpus all"),
        f.log.toString());
  }

  /** The dry run shows what podman would get: the version query is read-only and runs. */
  @Test
  void dryRunShowsTheCdiFlags() throws Exception {
    f.processes.on("version", "echo 4.3.1");
    f.dryRun = true;
    f.goals()
        .cdiHost(hostWithNvidiaSpec(tmp))
        .runGpu(f.settings().cli("podman").gpuFlag("--gpus all"), false, true);
    assertEquals(
        List.of("version", "image"),
        f.processes.calls.stream().map(call -> call.get(1)).toList(),
        "only the read-only queries ran: the version, the pull step's image inspect");
    assertTrue(
        f.log.stream()
            .anyMatch(
                l ->
                    l.startsWith("[dry-run] podman create ")
                        && l.contains(" --device nvidia.com/gpu=all -w /workspace ")),
        f.log.toString());
  }

  @Test
  void noCdiSpecFailsBeforeBuildOrRun() throws Exception {
    f.processes.on("version", "echo 4.3.1");
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                f.goals()
                    .cdiHost(hostWithoutSpecs(tmp))
                    .runGpu(f.settings().cli("podman").gpuFlag("--gpus all"), false, false));
    assertEquals(
        "nss.gpuFlag: --device nvidia.com/gpu=all asks podman for GPUs through CDI, but there is no NVIDIA "
            + "CDI spec (nvidia.com/gpu) in /etc/cdi or /var/run/cdi. Install the NVIDIA Container Toolkit and generate "
            + "the spec: sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml (or run without a GPU: "
            + "-Dnss.gpuFlag=).",
        e.getMessage());
    assertEquals(
        List.of(List.of("podman", "version", "--format", "{{.Client.Version}}")),
        f.processes.calls);
  }

  @Test
  void dockerAndEmptyFlagsAreLeftAlone() throws Exception {
    f.goals()
        .cdiHost(hostWithoutSpecs(tmp))
        .runGpu(f.settings().gpuFlag("--gpus all"), false, true);
    assertTrue(f.processes.verbs("create").get(0).contains("--gpus"));
    f.processes.calls.clear();
    f.goals()
        .cdiHost(hostWithoutSpecs(tmp))
        .runGpu(f.settings().cli("podman").gpuFlag(""), false, true);
    assertEquals(List.of(), f.processes.verbs("version"));
  }
}
