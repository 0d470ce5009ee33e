package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container markers a Host reads, under a temp root standing in for "/". */
class HostTest {
  @TempDir Path root;

  private Host host() {
    return new Host(root);
  }

  private void containerenv(String text) throws IOException {
    Files.createDirectories(root.resolve("run"));
    Files.writeString(root.resolve("run/.containerenv"), text);
  }

  @Test
  void noMarkerIsAnUnknownEngine() {
    assertEquals(Engine.UNKNOWN, host().engine(null));
    assertFalse(host().rootless());
  }

  @Test
  void dockerenvIsDocker() throws IOException {
    Files.createFile(root.resolve(".dockerenv"));
    assertEquals(Engine.DOCKER, host().engine(null));
  }

  @Test
  void containerenvIsPodmanAndSaysWhetherItIsRootless() throws IOException {
    containerenv("engine=\"podman-4.3.1\"\nname=\"x\"\nrootless=1\n");
    assertEquals(Engine.PODMAN, host().engine(null));
    assertTrue(host().rootless());
    containerenv("rootless=1\nengine=\"podman-4.3.1\"\n");
    assertTrue(host().rootless());
    containerenv("engine=\"podman-4.3.1\"\nrootless=0\n");
    assertFalse(host().rootless());
    containerenv("engine=\"podman-4.3.1\"\nnotrootless=1\n");
    assertFalse(host().rootless());
  }

  @Test
  void aContainerenvThatIsNotAFileIsNoMarker() throws IOException {
    Files.createDirectories(root.resolve("run/.containerenv"));
    assertEquals(Engine.UNKNOWN, host().engine(null));
    assertFalse(host().rootless());
  }

  @Test
  void theContainerVariableAloneIsPodman() {
    assertEquals(Engine.PODMAN, host().engine("podman"));
  }
}
