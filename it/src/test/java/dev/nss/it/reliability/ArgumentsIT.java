package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.Json;
import dev.nss.it.SampleProject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, arguments: a corpus of nasty arguments travels pom/command line → plugin → docker → tini
 * → agent → program byte for byte. The sample program reports its argv and the hex of each
 * argument's bytes (os.fsencode). RunGpuIT.case03 covers seven friendly ones; this row covers the
 * corpus, three ways in, and the bytes Java cannot carry.
 */
class ArgumentsIT {

  /**
   * What a pom can carry (XML 1.0 admits no control characters but tab, LF and CR) and a command
   * line too.
   */
  static final List<String> CORPUS =
      List.of(
          "",
          " ",
          "two words",
          "  leading and trailing  ",
          "tab\there",
          "\t",
          "new\nline",
          "\n",
          "cr\rcrlf\r\n",
          "'",
          "\"",
          "say \"hi\" it's",
          "$HOME",
          "${HOME}",
          "$(id)",
          "`id`",
          "a;b",
          "a|b",
          "a&b",
          "&&",
          "*",
          "?.txt",
          "[a-z]*",
          "~",
          "~root",
          "-",
          "--",
          "-rf",
          "--flag=value with space",
          "--entrypoint=/bin/sh",
          "-e",
          "-v",
          "\\",
          "back\\slash\\\\n",
          "!",
          "#not-a-comment",
          "%s%n",
          "<xml attr=\"v\">&amp;</xml>",
          "caf\u00e9",
          "\u65e5\u672c\u8a9e",
          "emoji \ud83d\ude00",
          "\u03a9\u00a0nbsp",
          "\u200bzero-width",
          "\u202eRTL",
          "4KiB:" + "abc-".repeat(1023) + "xyz");

  /**
   * In a pom Maven interpolates {@code ${...}} before the plugin sees it (here to $HOME): a literal
   * one needs -D.
   */
  static final List<String> POM_CORPUS = CORPUS.stream().filter(a -> !a.contains("${")).toList();

  @Test
  void corpusViaTheNssCmdPropertyOnTheCommandLine() {
    assertTrue(CORPUS.size() >= 30);
    List<String> args = new ArrayList<>(CORPUS);
    args.add("\u001b[31mescape"); // a control character: fine on a command line, not in XML
    SampleProject project = Rel.project("args-cmd-line");
    BuildLog run = Rel.runGpu(project).property("nss.cmd", quote(args)).run();
    assertArrived(args, run);
  }

  @Test
  void corpusViaTheNssCmdPropertyInThePom() {
    SampleProject project = Rel.project("args-pom-property").property("nss.cmd", quote(POM_CORPUS));
    BuildLog run = Rel.runGpu(project).run();
    assertArrived(POM_CORPUS, run);
  }

  @Test
  void corpusViaThePomCmdList() {
    SampleProject project = Rel.project("args-pom-list").cmdList(POM_CORPUS, true);
    BuildLog run = Rel.runGpu(project).run();
    assertArrived(POM_CORPUS, run);
  }

  /**
   * Volume: 2,000 arguments and one of 100 KiB (below Linux's 128 KiB limit for one argument)
   * arrive intact.
   */
  @Test
  void manyArgumentsAndALongOne() {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      args.add("arg-" + i + (i % 7 == 0 ? " with space" : ""));
    }
    args.add("L".repeat(100 * 1024));
    SampleProject project = Rel.project("args-volume");
    BuildLog run = Rel.runGpu(project).property("nss.cmd", quote(args)).run();
    assertArrived(args, run);
  }

  /**
   * Documents a Maven limit: without xml:space="preserve", list elements lose leading and trailing
   * whitespace.
   */
  @Test
  void pomCmdListWithoutPreserveTrimsEachElement() {
    SampleProject project = Rel.project("args-pom-list-trimmed").cmdList(POM_CORPUS, false);
    BuildLog run = Rel.runGpu(project).run();
    assertTrue(run.succeeded(), run::describe);
    List<String> trimmed = POM_CORPUS.stream().map(String::strip).toList();
    assertEquals(trimmed, run.report().get("argv"));
    Timings.note(
        "arguments: pom <cmd> without xml:space=preserve: "
            + POM_CORPUS.stream().filter(a -> !a.equals(a.strip())).count()
            + " of "
            + POM_CORPUS.size()
            + " elements lose leading/trailing whitespace");
  }

  /**
   * Bytes that are not UTF-8 cannot be a Java String, nor a JSON string of the Docker API: no pom,
   * no -D and no {@code docker run} argument can carry them. Inside the container they can: a shell
   * makes them with printf and execs the agent, which must hand them to the program untouched (it
   * reads /proc/self/cmdline, not the decoded args).
   */
  @Test
  void invalidUtf8ReachesTheProgramThroughTheAgent() {
    String image = RelImage.runtime();
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("\\377", "ff");
    expected.put("a\\300\\200b", "61c08062"); // overlong NUL
    expected.put("\\355\\240\\200", "eda080"); // a UTF-16 surrogate
    expected.put("caf\\351", "636166e9"); // Latin-1
    expected.put("\\303", "c3"); // truncated sequence
    expected.put("\\370\\210\\200\\200\\200", "f888808080"); // 5-byte form
    StringBuilder script = new StringBuilder("exec /usr/local/bin/nss-entrypoint");
    expected.keySet().forEach(k -> script.append(" \"$(printf '").append(k).append("')\""));
    for (String lang : List.of("", "C.UTF-8")) {
      Rel.Result r =
          Rel.docker(
              "run",
              "--rm",
              "-e",
              "LANG=" + lang,
              "--entrypoint",
              "/usr/bin/tini",
              image,
              "--",
              "/bin/sh",
              "-c",
              script.toString());
      assertEquals(0, r.exitCode(), r::describe);
      Map<String, Object> report = report(r.out());
      assertEquals(
          List.copyOf(expected.values()),
          report.get("argv_hex"),
          "LANG=" + lang + ":\n" + r.describe());
      assertEquals(1L, report.get("ppid"), "the program is tini's child");
    }
    Timings.note(
        "arguments: "
            + expected.size()
            + " invalid UTF-8 arguments x 2 locales at the agent level");
  }

  /**
   * With Maven's locale POSIX, the JVM would turn non-ASCII into '?': the goals refuse before any
   * engine call.
   */
  @Test
  void nonAsciiUnderAPosixLocaleIsRefusedNotMangled() {
    SampleProject project = Rel.project("args-posix-locale");
    BuildLog run =
        Rel.runGpu(project)
            .property("nss.cmd", "caf\u00e9")
            .env("LANG", "C")
            .env("LC_ALL", "C")
            .run();
    assertFalse(run.succeeded(), run::describe);
    assertTrue(run.all().contains("LANG"), "the message names the locale:\n" + run.describe());
    assertFalse(
        run.stdout().contains("SAFE-SYNTHESIZER-REPORT"), "no container ran:\n" + run.describe());
  }

  static void assertArrived(List<String> args, BuildLog run) {
    assertTrue(run.succeeded(), run::describe);
    Map<String, Object> report = run.report();
    List<String> hex =
        args.stream()
            .map(a -> HexFormat.of().formatHex(a.getBytes(StandardCharsets.UTF_8)))
            .toList();
    Object got = report.get("argv_hex");
    if (!hex.equals(got)) {
      List<?> gotList = (List<?>) got;
      StringBuilder diff = new StringBuilder();
      for (int i = 0; i < Math.max(hex.size(), gotList.size()); i++) {
        Object g = i < gotList.size() ? gotList.get(i) : "(missing)";
        String e = i < hex.size() ? hex.get(i) : "(none)";
        if (!e.equals(g)) {
          diff.append("#")
              .append(i)
              .append(" expected ")
              .append(e)
              .append(" got ")
              .append(g)
              .append('\n');
        }
      }
      throw new AssertionError(
          args.size() + " arguments, " + gotList.size() + " arrived; differences:\n" + diff);
    }
    assertEquals(args, report.get("argv"));
    ExitCodesIT.assertNoContainerLeft(run);
    Timings.note(
        "arguments: "
            + args.size()
            + " arrived byte-identical ("
            + String.join("", args).length()
            + " chars)");
  }

  static Map<String, Object> report(String stdout) {
    return stdout
        .lines()
        .filter(l -> l.startsWith("SAFE-SYNTHESIZER-REPORT "))
        .findFirst()
        .map(l -> Json.object(l.substring("SAFE-SYNTHESIZER-REPORT ".length())))
        .orElseThrow(() -> new AssertionError("no report in:\n" + stdout));
  }

  /** POSIX shell quoting, which nss.cmd honours (without any expansion). */
  static String quote(List<String> args) {
    StringBuilder b = new StringBuilder();
    for (String a : args) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append('\'').append(a.replace("'", "'\\''")).append('\'');
    }
    return b.toString();
  }
}
