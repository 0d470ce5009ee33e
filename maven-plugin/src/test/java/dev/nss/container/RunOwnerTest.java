package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The owner labels name this JVM, this boot and this host, as the kernel reports them. */
class RunOwnerTest {

  @Test
  void ownerNamesThisBootAndHost() throws Exception {
    RunOwner owner = RunOwner.current();

    assertEquals(ProcessHandle.current().pid(), owner.pid());
    Path boot = Path.of("/proc/sys/kernel/random/boot_id");
    if (Files.isReadable(boot)) {
      assertEquals(Files.readString(boot).strip(), owner.bootId());
    }
    Path host = Path.of("/proc/sys/kernel/hostname");
    if (Files.isReadable(host)) {
      assertEquals(Files.readString(host).strip(), owner.host());
    }
    assertFalse(owner.bootId().isEmpty());
    assertFalse(owner.host().isEmpty());
  }
}
