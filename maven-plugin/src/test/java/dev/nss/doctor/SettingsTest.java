package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DoctorSettings, ByteSize and FailOn: bad input names the setting and the fix. */
class SettingsTest {

  private static DoctorSettings.Builder base() {
    return DoctorSettings.builder().hfCache("/tmp/hf");
  }

  @Test
  void defaults() {
    DoctorSettings s = base().build();
    assertEquals(Checks.ids(), s.checks());
    assertEquals(40L << 30, s.minFreeDiskBytes());
    assertEquals("--gpus all", s.gpuFlag());
    assertTrue(s.needsGpu());
    assertEquals(Duration.ofSeconds(30), s.timeout());
    assertEquals(FailOn.ERROR, s.failOn());
    assertEquals("", s.containerCli());
  }

  @Test
  void checkSubsetKeepsReportOrder() {
    assertEquals(List.of("engine", "gpu"), base().checks(" gpu, engine,,gpu ").build().checks());
  }

  @Test
  void unknownCheckIdsAreListedWithTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> base().checks("engine,gpus,dsk").build());
    assertEquals(
        "nss.doctor.checks names unknown check id(s): gpus, dsk. Valid ids: cli, engine, buildkit, buildx,"
            + " nvidia-runtime, gpu, hf-cache, hf-token, disk, memory; e.g. -Dnss.doctor.checks=engine,gpu",
        e.getMessage());
  }

  @Test
  void emptyGpuFlagMeansNoGpu() {
    assertFalse(base().gpuFlag("").build().needsGpu());
    assertFalse(base().gpuFlag(null).build().needsGpu());
  }

  @Test
  void sizes() {
    assertEquals(40L << 30, ByteSize.parse("40G", "x"));
    assertEquals(40L << 30, ByteSize.parse("40GiB", "x"));
    assertEquals(40L << 30, ByteSize.parse("40gb", "x"));
    assertEquals(500L << 20, ByteSize.parse("500M", "x"));
    assertEquals(3L << 39, ByteSize.parse("1.5T", "x"));
    assertEquals(1073741824L, ByteSize.parse("1073741824", "x"));
    assertEquals("40 GiB", ByteSize.format(40L << 30));
    assertEquals("76.5 GiB", ByteSize.format((long) (76.5 * (1L << 30))));
    assertEquals("900 B", ByteSize.format(900));
  }

  @Test
  void badSizeNamesTheSetting() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> base().minFreeDisk("forty gigs").build());
    assertTrue(e.getMessage().startsWith("nss.doctor.minFreeDisk has the unreadable size 'forty gigs'"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("-Dnss.doctor.minFreeDisk=40G"), e.getMessage());
  }

  @Test
  void failOnValues() {
    assertEquals(FailOn.WARNING, FailOn.parse("Warning"));
    assertEquals(FailOn.NEVER, FailOn.parse(" never "));
    assertTrue(FailOn.ERROR.fails(Status.ERROR));
    assertFalse(FailOn.ERROR.fails(Status.WARNING));
    assertTrue(FailOn.WARNING.fails(Status.WARNING));
    assertFalse(FailOn.WARNING.fails(Status.OK));
    assertFalse(FailOn.NEVER.fails(Status.ERROR));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FailOn.parse("always"));
    assertTrue(e.getMessage().contains("nss.doctor.failOn has the unknown value 'always'"), e.getMessage());
  }

  @Test
  void badTimeoutAndEmptyCacheAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> base().timeout("0").build());
    assertThrows(IllegalArgumentException.class, () -> base().timeout("soon").build());
    assertEquals(Duration.ofSeconds(5), base().timeout("5s").build().timeout());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DoctorSettings.builder().hfCache(" ").build());
    assertTrue(e.getMessage().startsWith("nss.hfCache is empty"), e.getMessage());
  }
}
