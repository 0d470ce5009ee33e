package dev.nss.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {

  private static List<String> split(String s) throws InvalidSettingException {
    return ShellWords.split(s, "nss.cmd");
  }

  @Test
  void splitsOnWhitespace() throws Exception {
    assertEquals(List.of("--gpus", "all"), split("  --gpus \t all \n"));
    assertEquals(List.of(), split(""));
    assertEquals(List.of(), split(null));
  }

  @Test
  void quotesGroupAndEmptyQuotesAreAnArgument() throws Exception {
    assertEquals(List.of("a b", "", "c'd", "e\"f", "gh"), split("'a b' '' \"c'd\" 'e\"f' g\"h\""));
    assertEquals(List.of(""), split("\"\""));
  }

  @Test
  void nothingIsExpanded() throws Exception {
    assertEquals(
        List.of("$HOME", "~", "*.py", "$(id)", "`id`", "a;b", "x|y"),
        split("$HOME ~ *.py $(id) `id` a;b x|y"));
    assertEquals(List.of("$HOME"), split("\"$HOME\""));
  }

  @Test
  void backslashEscapes() throws Exception {
    assertEquals(List.of("a b", "\"", "\\"), split("a\\ b \\\" \\\\"));
    assertEquals(List.of("say \"hi\" \\ $x"), split("\"say \\\"hi\\\" \\\\ \\$x\""));
    assertEquals(List.of("a\\b"), split("'a\\b'"));
  }

  @Test
  void insideDoubleQuotesABackslashEscapesOnlyQuoteBackslashDollarAndBacktick() throws Exception {
    assertEquals(List.of("$\\b", "\\n", "`"), split("\"$\\b\" \"\\n\" \"\\`\""));
  }

  @Test
  void aBackslashThatEndsAnOpenDoubleQuoteIsAnUnbalancedQuote() {
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> ShellWords.split("\"abc\\", "nss.cmd"));
    assertTrue(e.getMessage().startsWith("nss.cmd: "), e.getMessage());
    assertTrue(e.getMessage().contains("unbalanced double quote"), e.getMessage());
  }

  @Test
  void unbalancedQuotesNameTheProperty() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class, () -> ShellWords.split("-v 'a:b", "nss.extraMounts"));
    assertTrue(e.getMessage().startsWith("nss.extraMounts" + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("unbalanced single quote"), e.getMessage());
    assertThrows(InvalidSettingException.class, () -> split("\"abc"));
    assertThrows(InvalidSettingException.class, () -> split("abc\\"));
  }

  @Test
  void quoteRoundTrips() throws Exception {
    List<String> argv =
        List.of("docker", "run", "", "a b", "it's", "ü", "$HOME", "--x=1,2", "\"q\"", "a\nb");
    assertEquals(argv, split(ShellWords.quote(argv)));
    assertEquals("docker run '' 'a b' 'it'\"'\"'s'", ShellWords.quote(argv.subList(0, 5)));
    assertEquals(
        "--label org.opencontainers.image.version=1.0",
        ShellWords.quote(List.of("--label", "org.opencontainers.image.version=1.0")));
  }
}
