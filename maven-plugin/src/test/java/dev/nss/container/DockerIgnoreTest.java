package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerIgnoreTest {

  private static String excluding(String path, String... lines) {
    return DockerIgnore.parse(List.of(lines)).excludingPattern(path);
  }

  private static final String AGENT = AgentStager.AGENT_PATH;

  @Test
  void unrelatedPatternsKeepTheAgent() {
    assertNull(excluding(AGENT, "# comment", "", ".venv/", "**/__pycache__/", "target/", "*.iml"));
  }

  @Test
  void directoryPatternsExcludeWhatIsInside() {
    assertEquals(".nss-build", excluding(AGENT, ".nss-build"));
    assertEquals(".nss-build", excluding(AGENT, "/.nss-build/"));
    assertEquals(".*", excluding(AGENT, ".*"));
    assertEquals("**/*.jar", excluding(AGENT, "**/*.jar"));
    assertEquals("*", excluding(AGENT, "*"));
    assertEquals(".nss-build/entrypoint", excluding(AGENT, "./.nss-build/entrypoint"));
    assertEquals(".nss-b?ild/*/nss-*.jar", excluding(AGENT, ".nss-b?ild/*/nss-*.jar"));
  }

  @Test
  void starDoesNotCrossDirectories() {
    assertNull(excluding(AGENT, "*.jar"));
    assertNull(excluding(AGENT, ".nss-build/*.jar"));
  }

  @Test
  void lastMatchWinsAndExceptionsReinclude() {
    assertNull(excluding(AGENT, "*", "!.nss-build"));
    assertNull(excluding(AGENT, ".*", "!.nss-build/entrypoint/nss-entrypoint.jar"));
    assertEquals("**", excluding(AGENT, "!.nss-build", "**"));
  }

  @Test
  void characterClasses() {
    assertEquals("[.]nss-build", excluding(AGENT, "[.]nss-build"));
    assertNull(excluding(AGENT, "[!.]nss-build"));
  }

  @Test
  void patternsAreCleanedAndEscapesAndClassesWork() {
    assertEquals(".nss-build", excluding(AGENT, "x/../.nss-build"));
    assertEquals(".nss-build", excluding(AGENT, "../.nss-build"));
    assertEquals("\\.nss-build", excluding(AGENT, "\\.nss-build"));
    assertNull(excluding(AGENT, "\\*"));
    assertEquals("[.]nss-build", excluding(AGENT, "[.]nss-build"));
    assertNull(excluding(AGENT, "[!.]nss-build"));
    assertEquals(".nss-build/**", excluding(AGENT, ".nss-build/**"));
    assertEquals("**", excluding(AGENT, "**"));
    assertNull(excluding(AGENT, "[.nss-build"));
  }

  @Test
  void doubleStarSlashAlsoMatchesAtTheTop() {
    assertEquals("**/build.log", excluding("build.log", "**/build.log"));
    assertEquals("**/build.log", excluding("a/b/build.log", "**/build.log"));
    assertNull(excluding("xbuild.log", "**/build.log"));
    assertEquals("**.log", excluding("a/build.log", "**.log"));
    assertNull(excluding("a/log", "**.log"));
  }

  @Test
  void aBackslashAtThePatternsEndIsLiteral() {
    assertEquals("logs\\", excluding("logs\\", "logs\\"));
    assertNull(excluding("logs", "logs\\"));
  }

  @Test
  void aClosingBracketBeforeAClassIsLiteral() {
    assertEquals("a][bc]", excluding("a]c", "a][bc]"));
    assertNull(excluding("a]d", "a][bc]"));
  }
}
