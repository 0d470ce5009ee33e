package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitZeroProgramTest {

  @TempDir Path tmp;

  @Test
  void knowsTheArchitecturesByBothEnginesNames() {
    assertEquals(0x3e, ExitZeroProgram.forArchitecture("x86_64").orElseThrow()[18]);
    assertEquals(0x3e, ExitZeroProgram.forArchitecture("amd64").orElseThrow()[18]);
    assertEquals((byte) 0xb7, ExitZeroProgram.forArchitecture("aarch64").orElseThrow()[18]);
    assertEquals((byte) 0xb7, ExitZeroProgram.forArchitecture("arm64").orElseThrow()[18]);
    assertEquals(Optional.empty(), ExitZeroProgram.forArchitecture("s390x"));
  }

  /** The probe program really runs and exits 0 (on a Linux host of its architecture). */
  @Test
  void runsAndExitsZeroOnThisHost() throws Exception {
    String arch = System.getProperty("os.arch");
    assumeTrue(
        System.getProperty("os.name").equals("Linux")
            && (arch.equals("amd64") || arch.equals("aarch64")),
        "needs Linux on x86-64 or AArch64");
    Path exe =
        Files.write(tmp.resolve("nss-exit0"), ExitZeroProgram.forArchitecture(arch).orElseThrow());
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
    Process p = new ProcessBuilder(exe.toString()).start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
  }
}
