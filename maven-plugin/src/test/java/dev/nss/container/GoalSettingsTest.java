package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings are a value: a setter returns a changed copy and leaves the settings it was called on.
 */
class GoalSettingsTest {

  @TempDir Path tmp;

  @Test
  void aSetterLeavesTheOriginalAsItWas() {
    GoalSettings original = new GoalSettings(tmp).image("a:1").cmdLine("run");
    GoalSettings changed = original.image("b:2").cmd(List.of("x")).interactive(true);
    assertEquals("a:1", original.image);
    assertEquals("run", original.cmdLine);
    assertNull(original.cmd);
    assertEquals(false, original.interactive);
    assertEquals("b:2", changed.image);
    assertEquals("run", changed.cmdLine);
    assertEquals(List.of("x"), changed.cmd);
    assertEquals(true, changed.interactive);
  }

  @Test
  void buildArgsAreCopiedNotShared() {
    Map<String, String> args = new HashMap<>(Map.of("A", "1"));
    GoalSettings settings = new GoalSettings(tmp).buildArgs(args);
    args.put("B", "2");
    assertEquals(Map.of("A", "1"), settings.buildArgs);
  }
}
