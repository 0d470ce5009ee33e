package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run keeper's protocol, in-process: the create is a shell command, the CLI a script that logs
 * its argv, Maven's pipe a byte array.
 */
class RunKeeperTest {

  @TempDir Path tmp;
  Path cli;
  Path log;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  InputStream savedIn;
  PrintStream savedOut;
  PrintStream savedErr;

  @BeforeEach
  void setUp() throws Exception {
    log = tmp.resolve("cli.log");
    cli = tmp.resolve("fake-cli");
    Files.writeString(cli, "#!/bin/sh\necho \"$*\" >> '" + log + "'\n");
    assertTrue(cli.toFile().setExecutable(true));
    savedIn = System.in;
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    System.setIn(savedIn);
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  private void keep(String fromMaven, String createScript) throws Exception {
    System.setIn(new ByteArrayInputStream(fromMaven.getBytes(StandardCharsets.UTF_8)));
    List<String> args = new ArrayList<>(List.of(cli.toString(), "/bin/sh", "-c", createScript));
    RunKeeper.main(args.toArray(String[]::new));
  }

  private String cliCalls() throws Exception {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void mavenGoneRemovesTheLastIdTheCreatePrinted() throws Exception {
    keep("", "echo 'pulling...' >&2; printf 'noise\\n\\n  id-42  \\n\\n'");

    assertEquals("created id-42\n", stdout());
    assertEquals("rm -f id-42\n", cliCalls());
    assertTrue(stderr().contains("pulling..."), stderr());
    assertTrue(stderr().contains("[nss] Maven is gone: removed container id-42"), stderr());
  }

  @Test
  void doneLeavesTheContainerToMaven() throws Exception {
    keep("done\n", "echo id-7");

    assertEquals("created id-7\n", stdout());
    assertEquals("", cliCalls());
    assertFalse(stderr().contains("Maven is gone"), stderr());
  }

  @Test
  void anyOtherLineCountsAsMavenGone() throws Exception {
    keep("bye\n", "echo id-8");

    assertEquals("created id-8\n", stdout());
    assertEquals("rm -f id-8\n", cliCalls());
  }

  @Test
  void failedCreateReportsItsExitCodeAndRemovesNothing() throws Exception {
    keep("", "echo 'no such image' >&2; echo half-id; exit 3");

    assertEquals("failed 3\n", stdout());
    assertEquals("", cliCalls());
    assertTrue(stderr().contains("no such image"), stderr());
  }

  @Test
  void createWithoutAnIdIsAFailure() throws Exception {
    keep("", "printf '\\n \\n'");

    assertEquals("failed -1\n", stdout());
    assertEquals("", cliCalls());
  }

  @Test
  void createThatCannotStartNamesTheCli() throws Exception {
    String missing = tmp.resolve("no-such-cli").toString();
    System.setIn(new ByteArrayInputStream(new byte[0]));
    RunKeeper.main(new String[] {cli.toString(), missing, "create", "img"});

    assertEquals("failed -1\n", stdout());
    assertTrue(stderr().contains("Could not start the container CLI `" + missing + "`"), stderr());
    assertEquals("", cliCalls());
  }

  @Test
  void commandStartsThisClassWithTheCliAndCreateAfterSetsid() {
    List<String> argv = RunKeeper.command("podman", List.of("podman", "create", "img"), "setsid");

    assertEquals("setsid", argv.get(0));
    assertTrue(argv.get(1).endsWith("/bin/java"), argv.get(1));
    int main = argv.indexOf(RunKeeper.class.getName());
    assertEquals(argv.get(main - 2), "-cp");
    assertEquals(List.of("podman", "podman", "create", "img"), argv.subList(main + 1, argv.size()));
    assertFalse(RunKeeper.command("docker", List.of("docker"), null).contains("setsid"));
  }
}
