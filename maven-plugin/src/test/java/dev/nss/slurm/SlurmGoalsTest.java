package dev.nss.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the goal reads from sinfo, and the names it gives its submissions and this machine. */
class SlurmGoalsTest {

  @Test
  void nodesAreTheSecondWordOfTwoWordLinesOnceEach() {
    String sinfo = "debug* vm\n\ngpu node1\nmalformed\ngpu  node1 \ndebug* vm\na b c\n";
    assertEquals(List.of("vm", "node1"), SlurmGoals.nodes(sinfo, false));
    assertEquals(List.of("vm"), SlurmGoals.nodes(sinfo, true), "the default partition's only");
  }

  @Test
  void eachSubmissionGetsASuffixOfItsOwn() {
    String one = SlurmGoals.randomSuffix();
    assertTrue(one.matches("[0-9a-f]{8}"), one);
    assertNotEquals(one, SlurmGoals.randomSuffix());
  }

  @Test
  void theShortHostNameIsOneLabel() {
    String name = SlurmGoals.shortHostName();
    assertTrue(name.matches("[^.\\s]+"), name);
  }
}
