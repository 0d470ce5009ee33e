package dev.nss.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner labels name this JVM, this boot and this host, as the kernel reports them. */
class RunOwnerTest {

  @Test
  void ownerNamesThisBootAndHost() throws Exception {
    RunOwner owner = RunOwner.current();

    assertEquals(ProcessHandle.current().pid(), owner.pid());
    assertEquals(
        ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli(),
        owner.startMillis());
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

  @Test
  void withoutAKernelHostNameTheEnvironmentsIsUsedElseUnknown(@TempDir Path root) throws Exception {
    Function<String, Path> hostPath = p -> root.resolve(p.substring(1));
    ProcessHandle self = ProcessHandle.current();
    RunOwner none = RunOwner.of(self, hostPath, Map.of("HOSTNAME", " ci-runner-7 \n")::get);
    assertEquals("unknown", none.bootId(), "no boot_id file");
    assertEquals("ci-runner-7", none.host());
    assertEquals("unknown", RunOwner.of(self, hostPath, Map.of("HOSTNAME", " ")::get).host());
    assertEquals("unknown", RunOwner.of(self, hostPath, name -> null).host());

    Path kernel = Files.createDirectories(root.resolve("proc/sys/kernel/random")).getParent();
    Files.writeString(kernel.resolve("random/boot_id"), "\n");
    Files.writeString(kernel.resolve("hostname"), "  \n");
    RunOwner blank = RunOwner.of(self, hostPath, Map.of("HOSTNAME", "from-env")::get);
    assertEquals("unknown", blank.bootId(), "an empty boot_id");
    assertEquals("from-env", blank.host(), "an empty kernel host name");

    Files.writeString(kernel.resolve("random/boot_id"), "0b5e-boot\n");
    Files.writeString(kernel.resolve("hostname"), "gpu-node-1\n");
    RunOwner owner = RunOwner.of(self, hostPath, Map.of("HOSTNAME", "from-env")::get);
    assertEquals(
        new RunOwner(self.pid(), RunOwner.startMillis(self), "0b5e-boot", "gpu-node-1"), owner);
  }
}
