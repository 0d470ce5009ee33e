package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.Command;
import dev.nss.core.CommandResult;
import dev.nss.core.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cuda-driver with a built image: the CUDA version of {@code nss.image}'s environment, as docker
 * 20.10 and podman 4.3.1 print it for an image with {@code ENV CUDA_VERSION}, is preferred to the
 * build settings; without the image the build settings stand.
 */
class ImageEnvironmentTest {

  static final String INSPECT = "image inspect --format {{json .Config.Env}} nss-gpu:latest";

  /** Both engines' answer for an image built {@code FROM scratch} with {@code ENV CUDA_VERSION}. */
  static final String ENV_13_1 =
      "[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"CUDA_VERSION=13.1.0\","
          + "\"NVIDIA_REQUIRE_CUDA=cuda>=13.1 brand=tesla,driver>=535,driver<536\"]\n";

  /** The H200 host's requirement (an nvidia/cuda 13.0 image), without CUDA_VERSION. */
  static final String REQUIRE_13_0 =
      "[\"PATH=/usr/bin\",\"NVIDIA_REQUIRE_CUDA=cuda>=13.0 brand=unknown,driver>=535,driver<536"
          + " brand=grid,driver>=535,driver<536 brand=tesla,driver>=535,driver<536\"]\n";

  @TempDir Path dir;
  TestHost host;

  @BeforeEach
  void setUp() {
    host = new TestHost(dir);
    host.program("nvidia-smi");
    host.runner.answer(GpuImageChecksTest.QUERY, 0, GpuImageChecksTest.H200, "");
    host.runner.answer("nvidia-smi", 0, GpuImageChecksTest.H200_BANNER, "");
  }

  private Finding cudaDriver(String cli, DoctorSettings.Builder settings) throws Exception {
    host.program(cli);
    return new CudaDriverCheck().run(host.context(settings.image("nss-gpu:latest").build()));
  }

  @Test
  void theImagesCudaVersionIsComparedAndItsSourceNamed() throws Exception {
    host.runner.answer("docker " + INSPECT, 0, ENV_13_1, "");
    assertEquals(
        Finding.error(
            "driver 580.159.04 supports CUDA 13.0, older than the image's CUDA 13.1.0 (image"
                + " nss-gpu:latest: ENV CUDA_VERSION): the container would not start (unsatisfied"
                + " condition: cuda>=13.1); a new build would have CUDA 12.8.1 (bundled"
                + " Dockerfile.cuda: ARG CUDA_VERSION)",
            "upgrade the host's NVIDIA driver to branch 590 or newer (CUDA 13.1 needs it;"
                + " nvidia-smi then shows CUDA Version: 13.1 or higher), or build the image for the"
                + " driver's CUDA: -Dnss.cudaVersion=13.0.2 (build argument CUDA_VERSION)"),
        cudaDriver("docker", host.settings()));
  }

  @Test
  void oneInspectWithTheExactArgvUnderAShortLimit() throws Exception {
    host.runner.answer("docker " + INSPECT, 0, ENV_13_1, "");
    cudaDriver("docker", host.settings().timeout("60"));
    List<Command> inspects =
        host.runner.commands().stream().filter(c -> c.argv().contains("inspect")).toList();
    assertEquals(1, inspects.size(), host.runner.keys()::toString);
    assertEquals(
        List.of(
            host.bin.resolve("docker").toString(),
            "image",
            "inspect",
            "--format",
            "{{json .Config.Env}}",
            "nss-gpu:latest"),
        inspects.get(0).argv());
    assertEquals(Duration.ofSeconds(10), inspects.get(0).timeout());
    assertEquals("", inspects.get(0).stdin());
  }

  @Test
  void aShorterCheckTimeoutBoundsTheInspect() throws Exception {
    host.runner.answer("docker " + INSPECT, 0, ENV_13_1, "");
    cudaDriver("docker", host.settings().timeout("3"));
    assertTrue(
        host.runner.commands().stream()
            .anyMatch(
                c -> c.argv().contains("inspect") && c.timeout().equals(Duration.ofSeconds(3))),
        host.runner.keys()::toString);
  }

  @Test
  void podmansRequirementWithoutCudaVersionGivesTheMinorVersion() throws Exception {
    host.runner.answer("podman " + INSPECT, 0, REQUIRE_13_0, "");
    assertEquals(
        Finding.ok(
            "driver 580.159.04 supports CUDA 13.0; the image's CUDA 13.0 (image nss-gpu:latest:"
                + " ENV NVIDIA_REQUIRE_CUDA); a new build would have CUDA 12.8.1 (bundled"
                + " Dockerfile.cuda: ARG CUDA_VERSION)"),
        cudaDriver("podman", host.settings()));
  }

  @Test
  void anImageThatAgreesWithTheBuildSettingsNeedsNoNote() throws Exception {
    host.runner.answer("docker " + INSPECT, 0, ENV_13_1.replace("13.1.0", "12.8.1"), "");
    assertEquals(
        Finding.ok(
            "driver 580.159.04 supports CUDA 13.0; the image's CUDA 12.8.1 (image nss-gpu:latest:"
                + " ENV CUDA_VERSION)"),
        cudaDriver("docker", host.settings()));
  }

  @Test
  void withoutTheImageTheBuildSettingsStand() throws Exception {
    Finding bundled =
        Finding.ok(
            "driver 580.159.04 supports CUDA 13.0; the image's CUDA 12.8.1 (bundled"
                + " Dockerfile.cuda: ARG CUDA_VERSION)");
    // docker 20.10 and podman 4.3.1 for an image they do not have.
    host.runner.answer("docker " + INSPECT, 1, "\n", "Error: No such image: nss-gpu:latest\n");
    assertEquals(bundled, cudaDriver("docker", host.settings()));
    host.runner.answer(
        "podman " + INSPECT,
        125,
        "",
        "Error: inspecting object: nss-gpu:latest: image not known\n");
    assertEquals(bundled, cudaDriver("podman", host.settings()));
  }

  @Test
  void anEngineThatDoesNotAnswerLeavesTheBuildSettings() throws Exception {
    host.runner.answer("docker " + INSPECT, CommandResult.timedOut(Duration.ofSeconds(10), "", ""));
    Finding f = cudaDriver("docker", host.settings().cudaVersion("12.9.1"));
    assertEquals(
        "driver 580.159.04 supports CUDA 13.0; the image's CUDA 12.9.1 (nss.cudaVersion)",
        f.value());
  }

  @Test
  void withoutGpusNoImageIsInspected() throws Exception {
    host.runner.answer(GpuImageChecksTest.QUERY, 9, "", "NVIDIA-SMI has failed\n");
    host.runner.answer("docker " + INSPECT, 0, ENV_13_1, "");
    cudaDriver("docker", host.settings());
    assertTrue(
        host.runner.keys().stream().noneMatch(k -> k.contains("inspect")),
        host.runner.keys()::toString);
  }

  @Test
  void withoutAnImageSettingNothingIsInspected() throws Exception {
    host.program("docker");
    host.runner.answer("docker " + INSPECT, 0, ENV_13_1, "");
    new CudaDriverCheck().run(host.context(host.settings().build()));
    assertTrue(
        host.runner.keys().stream().noneMatch(k -> k.contains("inspect")),
        host.runner.keys()::toString);
  }

  @Test
  void theEnvironmentIsReadAsKeyValuePairs() {
    assertEquals(
        Map.of("PATH", "/usr/bin", "A", "x=y", "EMPTY", ""),
        ImageEnvironment.parse("[\"PATH=/bin\",\"A=x=y\",\"EMPTY=\",\"=odd\",\"PATH=/usr/bin\"]"));
    assertEquals(Map.of(), ImageEnvironment.parse("null\n"));
    assertEquals(Map.of(), ImageEnvironment.parse("\n"));
    assertEquals(Map.of(), ImageEnvironment.parse("[\"CUDA_VERSION=13.1.0\""));
  }

  @Test
  void cudaVersionWinsOverTheRequirementAndNonsenseIsIgnored() {
    assertEquals(
        "12.8.1",
        ImageCuda.fromImage(
                Map.of("CUDA_VERSION", "12.8.1", "NVIDIA_REQUIRE_CUDA", "cuda>=13.0"), "i")
            .orElseThrow()
            .value());
    assertEquals(
        "13.0",
        ImageCuda.fromImage(
                Map.of("CUDA_VERSION", "latest", "NVIDIA_REQUIRE_CUDA", "cuda>=13.0 brand=x"), "i")
            .orElseThrow()
            .value());
    assertTrue(ImageCuda.fromImage(Map.of("NVIDIA_REQUIRE_CUDA", "nocuda>=13.0"), "i").isEmpty());
    assertTrue(ImageCuda.fromImage(Map.of(), "i").isEmpty());
    // Only a plain version is shown: not a secret that follows one, nor digits that overflow.
    assertTrue(ImageCuda.fromImage(Map.of("CUDA_VERSION", "12.8.1-token=hf_abc"), "i").isEmpty());
    assertTrue(ImageCuda.fromImage(Map.of("CUDA_VERSION", "99999999999.1"), "i").isEmpty());
    assertTrue(
        ImageCuda.fromImage(Map.of("NVIDIA_REQUIRE_CUDA", "cuda>=99999999999.1"), "i").isEmpty());
  }

  @Test
  void anImageNameTheCliWouldTakeForAnOptionIsRefused() {
    for (String bad : List.of("--help", "-q", "nss gpu", "nss-gpu:latest\n-x")) {
      InvalidSettingException e =
          assertThrows(InvalidSettingException.class, () -> host.settings().image(bad).build());
      assertTrue(e.getMessage().startsWith("nss.image: '"), e.getMessage());
      assertTrue(e.getMessage().endsWith("e.g. -Dnss.image=nss-gpu:latest."), e.getMessage());
    }
  }
}
