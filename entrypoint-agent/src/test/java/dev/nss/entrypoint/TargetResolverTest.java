package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetResolverTest {
  @Test
  void aTargetPathWithANulIsNotFound() {
    TargetResolver.Resolution r = TargetResolver.resolve("/opt/a\0b", "/bin");
    assertEquals(127, r.status);
    assertEquals(null, r.path);
    assertTrue(r.message.startsWith("target /opt/a\0b is not a valid path."), r.message);
  }

  @TempDir Path tmp;

  @Test
  void splitKeepsEmptyEntries() {
    assertArrayEquals(new String[] {"", "/a", "", "/b", ""}, TargetResolver.split(":/a::/b:"));
    assertArrayEquals(new String[] {"/only"}, TargetResolver.split("/only"));
  }

  @Test
  void firstExecutableOnPathWins() throws IOException {
    Path a = Files.createDirectory(tmp.resolve("a"));
    Path b = Files.createDirectory(tmp.resolve("b"));
    Path c = Files.createDirectory(tmp.resolve("c"));
    Files.writeString(a.resolve("prog"), "not executable");
    PreflightTest.executable(b.resolve("prog"));
    PreflightTest.executable(c.resolve("prog"));
    TargetResolver.Resolution r = TargetResolver.resolve("prog", a + ":" + b + ":" + c);
    assertEquals(b.resolve("prog"), r.path);
  }

  @Test
  void onlyNonExecutableMatchesGive126() throws IOException {
    Path a = Files.createDirectory(tmp.resolve("a"));
    Files.writeString(a.resolve("prog"), "x");
    TargetResolver.Resolution r = TargetResolver.resolve("prog", "/nonexistent:" + a);
    assertNull(r.path);
    assertEquals(126, r.status);
    assertTrue(r.message.contains("chmod +x " + a.resolve("prog")), r.message);
  }

  @Test
  void directoryIsNotAProgram() throws IOException {
    Files.createDirectories(tmp.resolve("a/prog"));
    assertEquals(126, TargetResolver.resolve("prog", tmp.resolve("a").toString()).status);
    assertEquals(126, TargetResolver.resolve(tmp.resolve("a/prog").toString(), "").status);
  }

  @Test
  void nothingFoundGives127NamingPath() {
    TargetResolver.Resolution r = TargetResolver.resolve("prog", "/x:/y");
    assertEquals(127, r.status);
    assertTrue(r.message.contains("(/x:/y)"), r.message);
    assertTrue(r.message.contains("NSS_ENTRYPOINT_TARGET"), r.message);
  }

  @Test
  void unsetPathUsesTheExecvpDefault() {
    assertEquals(Path.of("/bin/sh"), TargetResolver.resolve("sh", null).path);
  }

  @Test
  void emptyTargetIs127() {
    assertEquals(127, TargetResolver.resolve("", "/bin").status);
  }

  @Test
  void findOnPathSkipsNonExecutables() throws IOException {
    Path a = Files.createDirectory(tmp.resolve("a"));
    Files.writeString(a.resolve("tool"), "x");
    assertNull(TargetResolver.findOnPath("tool", a.toString()));
    PreflightTest.executable(a.resolve("tool"));
    assertEquals(a.resolve("tool"), TargetResolver.findOnPath("tool", a.toString()));
  }
}
