package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.InvalidSettingException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DoctorSettings, ByteSize and FailOn: bad input names the setting and the fix. */
class SettingsTest {

  private static DoctorSettings.Builder base() {
    return DoctorSettings.builder().hfCache("/tmp/hf");
  }

  @Test
  void defaults() throws Exception {
    DoctorSettings s = base().build();
    assertEquals(
        Checks.ids().stream().filter(id -> !id.equals("slurm")).toList(),
        s.checks(),
        "slurm runs only when asked for or when nss.slurm.* is in use");
    assertEquals(Checks.ids(), base().slurm(true).build().checks());
    assertEquals(List.of("slurm"), base().checks("slurm").build().checks());
    assertEquals(40L << 30, s.minFreeDiskBytes());
    assertEquals("--gpus all", s.gpuFlag());
    assertTrue(s.needsGpu());
    assertEquals(Duration.ofSeconds(30), s.timeout());
    assertEquals(FailOn.ERROR, s.failOn());
    assertEquals("", s.containerCli());
  }

  @Test
  void checkSubsetKeepsReportOrder() throws Exception {
    assertEquals(List.of("engine", "gpu"), base().checks(" gpu, engine,,gpu ").build().checks());
  }

  @Test
  void unknownCheckIdsAreListedWithTheValidOnes() {
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> base().checks("engine,gpus,dsk").build());
    assertEquals(
        "nss.doctor.checks: unknown check id(s): gpus, dsk. Valid ids: cli, engine, buildkit, buildx,"
            + " platforms, nvidia-runtime, gpu, cuda-driver, gpu-arch, gpu-memory, nvml, cdi-gpus, hf-cache, hf-token, disk, memory, orphans, slurm; e.g. -Dnss.doctor.checks=engine,gpu.",
        e.getMessage());
  }

  @Test
  void emptyGpuFlagMeansNoGpu() throws Exception {
    assertFalse(base().gpuFlag("").build().needsGpu());
    assertFalse(base().gpuFlag(null).build().needsGpu());
  }

  @Test
  void sizes() {
    assertEquals(40L << 30, ByteSize.parse("40G").getAsLong());
    assertEquals(40L << 30, ByteSize.parse("40GiB").getAsLong());
    assertEquals(40L << 30, ByteSize.parse("40gb").getAsLong());
    assertEquals(500L << 20, ByteSize.parse("500M").getAsLong());
    assertEquals(3L << 39, ByteSize.parse("1.5T").getAsLong());
    assertEquals(1073741824L, ByteSize.parse("1073741824").getAsLong());
    assertEquals(8388607L << 40, ByteSize.parse("8388607T").getAsLong());
    assertTrue(ByteSize.parse("8388608T").isEmpty(), "2^63 bytes do not fit a long");
    assertEquals("40 GiB", ByteSize.format(40L << 30));
    assertEquals("76.5 GiB", ByteSize.format((long) (76.5 * (1L << 30))));
    assertEquals("900 B", ByteSize.format(900));
  }

  @Test
  void badSizeNamesTheSetting() {
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> base().minFreeDisk("forty gigs").build());
    assertTrue(
        e.getMessage().startsWith("nss.doctor.minFreeDisk: 'forty gigs' is not a size"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("-Dnss.doctor.minFreeDisk=40G."), e.getMessage());
  }

  @Test
  void failOnValues() throws Exception {
    assertEquals(FailOn.WARNING, base().failOn("Warning").build().failOn());
    assertEquals(FailOn.NEVER, base().failOn(" never ").build().failOn());
    assertTrue(FailOn.ERROR.fails(Status.ERROR));
    assertFalse(FailOn.ERROR.fails(Status.WARNING));
    assertTrue(FailOn.WARNING.fails(Status.WARNING));
    assertFalse(FailOn.WARNING.fails(Status.OK));
    assertFalse(FailOn.NEVER.fails(Status.ERROR));
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> base().failOn("always").build());
    assertTrue(
        e.getMessage().contains("nss.doctor.failOn: unknown value 'always'"), e.getMessage());
  }

  @Test
  void badTimeoutAndEmptyCacheAreRejected() throws Exception {
    assertThrows(InvalidSettingException.class, () -> base().timeout("0").build());
    assertThrows(InvalidSettingException.class, () -> base().timeout("soon").build());
    assertEquals(Duration.ofSeconds(5), base().timeout("5s").build().timeout());
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class, () -> DoctorSettings.builder().hfCache(" ").build());
    assertTrue(e.getMessage().startsWith("nss.hfCache: is empty"), e.getMessage());
  }
}
