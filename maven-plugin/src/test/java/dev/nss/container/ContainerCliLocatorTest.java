package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.engine.ContainerCliLocator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerCliLocatorTest {

  @TempDir Path tmp;

  private Path executable(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void configuredValueWins() throws Exception {
    executable(tmp, "podman");
    assertEquals(
        "/usr/bin/docker", ContainerCliLocator.locate(" /usr/bin/docker ", tmp.toString()));
  }

  @Test
  void podmanPreferredWhenOnPath() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    executable(a, "docker");
    executable(b, "podman");
    assertEquals("podman", ContainerCliLocator.locate("", a + File.pathSeparator + b));
  }

  @Test
  void dockerWhenNoPodman() throws Exception {
    executable(tmp, "docker");
    assertEquals("docker", ContainerCliLocator.locate(null, tmp.toString()));
    assertEquals("docker", ContainerCliLocator.locate("  ", null));
  }

  @Test
  void nonExecutableIsIgnored() throws Exception {
    Files.writeString(tmp.resolve("podman"), "not executable");
    assertEquals("docker", ContainerCliLocator.locate("", tmp.toString()));
  }

  @Test
  void findOnPathReturnsFirstInOrder() throws Exception {
    Path first = executable(tmp.resolve("1"), "docker");
    executable(tmp.resolve("2"), "docker");
    String path =
        tmp.resolve("missing")
            + File.pathSeparator
            + tmp.resolve("1")
            + File.pathSeparator
            + tmp.resolve("2");
    assertEquals(first, ContainerCliLocator.findOnPath("docker", path).orElseThrow());
  }

  @Test
  void findOnPathAcceptsAbsolutePath() throws Exception {
    Path file = executable(tmp, "docker");
    assertEquals(file, ContainerCliLocator.findOnPath(file.toString(), null).orElseThrow());
    assertTrue(ContainerCliLocator.findOnPath(tmp.resolve("nope").toString(), null).isEmpty());
    assertTrue(ContainerCliLocator.findOnPath("", tmp.toString()).isEmpty());
  }
}
