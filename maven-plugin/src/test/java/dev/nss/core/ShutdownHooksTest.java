package dev.nss.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShutdownHooksTest {

  @Test
  void theJvmsHooksAreTheRuntimes() {
    Thread hook = new Thread(() -> {}, "test-hook");
    ShutdownHooks.JVM.add(hook);
    assertTrue(Runtime.getRuntime().removeShutdownHook(hook), "registered with the JVM");

    ShutdownHooks.JVM.add(hook);
    ShutdownHooks.JVM.remove(hook);
    assertFalse(Runtime.getRuntime().removeShutdownHook(hook), "taken back");
    ShutdownHooks.JVM.remove(hook); // taking back twice is harmless
  }
}
