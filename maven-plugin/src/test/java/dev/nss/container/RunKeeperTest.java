package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run keeper's protocol, in-process (not through {@code main}, which changes the JVM's signal
 * handling): the create is a shell command, the CLI a script that logs its argv, Maven's pipes are
 * byte arrays.
 */
class RunKeeperTest {

  @TempDir Path tmp;
  Path cli;
  Path log;
  final ByteArrayOutputStream toMaven = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void fakeCli() throws Exception {
    log = tmp.resolve("cli.log");
    cli = tmp.resolve("fake-cli");
    Files.writeString(cli, "#!/bin/sh\necho \"$*\" >> '" + log + "'\n");
    assertTrue(cli.toFile().setExecutable(true));
  }

  private void keep(String fromMaven, String createScript) throws Exception {
    keep(fromMaven, List.of(cli.toString(), "/bin/sh", "-c", createScript), toMaven);
  }

  private void keep(String fromMaven, List<String> args, OutputStream toMaven) throws Exception {
    RunKeeper.keep(
        args,
        new ByteArrayInputStream(fromMaven.getBytes(StandardCharsets.UTF_8)),
        toMaven,
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /**
   * The keeper with a limit of 2 s on the create {@code sh -c script sh words...}; Maven is gone.
   */
  private void keepFor2s(String script, String... words) throws Exception {
    List<String> args = new ArrayList<>(List.of(cli.toString(), "/bin/sh", "-c", script, "sh"));
    args.addAll(List.of(words));
    RunKeeper.keep(
        args,
        Duration.ofSeconds(2),
        new ByteArrayInputStream(new byte[0]),
        toMaven,
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String cliCalls() throws Exception {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private String reported() {
    return toMaven.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void mavenGoneRemovesTheLastIdTheCreatePrinted() throws Exception {
    keep("", "echo 'pulling...' >&2; printf 'noise\\n\\n  id-42  \\n\\n'");

    assertEquals("created id-42\n", reported());
    assertEquals("rm -f id-42\n", cliCalls());
    assertTrue(stderr().contains("pulling..."), stderr());
    assertTrue(stderr().contains("[nss] Maven is gone: removed container id-42"), stderr());
  }

  @Test
  void doneLeavesTheContainerToMaven() throws Exception {
    keep("done\n", "echo id-7");

    assertEquals("created id-7\n", reported());
    assertEquals("", cliCalls());
    assertEquals("", stderr());
  }

  @Test
  void anyOtherLineCountsAsMavenGone() throws Exception {
    keep("bye\n", "echo id-8");

    assertEquals("created id-8\n", reported());
    assertEquals("rm -f id-8\n", cliCalls());
  }

  @Test
  void aClosedPipeToMavenCountsAsMavenGoneEvenIfDoneWasSent() throws Exception {
    OutputStream closed =
        new OutputStream() {
          @Override
          public void write(int b) throws java.io.IOException {
            throw new java.io.IOException("Broken pipe");
          }
        };
    keep("done\n", List.of(cli.toString(), "/bin/sh", "-c", "echo id-9"), closed);

    assertEquals("rm -f id-9\n", cliCalls(), "nobody was told the id: the keeper removes it");
  }

  @Test
  void theCreatesStderrIsPassedOnWholeBeforeTheKeeperMovesOn() throws Exception {
    // Maven reads the keeper's stderr slowly, through a buffer nobody else flushes: the keeper
    // still passes all of it on before it moves on.
    SlowTerminal slowErr = new SlowTerminal();
    RunKeeper.keep(
        List.of(cli.toString(), "/bin/sh", "-c", "echo 'pulled img' >&2; echo id-5"),
        new ByteArrayInputStream("done\n".getBytes(StandardCharsets.UTF_8)),
        toMaven,
        new PrintStream(new java.io.BufferedOutputStream(slowErr), false, StandardCharsets.UTF_8));

    assertEquals("created id-5\n", reported());
    assertEquals("pulled img\n", slowErr.received());
  }

  @Test
  void aCreateThatDoesNotAnswerWithinItsLimitIsEndedAndItsNameRemoved() throws Exception {
    Path pid = tmp.resolve("create.pid");
    keepFor2s("echo $$ > '" + pid + "'; exec sleep 120", "--name", "nss-run-slow");

    assertEquals("timed-out 2\n", reported());
    assertEquals(
        "rm -f nss-run-slow\n", cliCalls(), "the engine may still create it: removed by name");
    ProcessHandle create =
        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElse(null);
    if (create != null) {
      create.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS); // a hang guard
      assertFalse(create.isAlive(), "the create was ended");
    }
  }

  @Test
  void aCreateThatOverrunsIsEndedWithItsChildren() throws Exception {
    Path child = tmp.resolve("child.pid");
    keepFor2s("sleep 120 & " + GoalThread.pidTo(child, "$!") + "; wait", "--name");

    assertEquals("timed-out 2\n", reported());
    assertEquals("", cliCalls(), "no name follows --name: nothing to remove");
    // Under a load that kept the create from starting its child in 2 s there is nothing to check.
    ProcessHandle sleep =
        Files.exists(child)
            ? ProcessHandle.of(Long.parseLong(Files.readString(child).strip())).orElse(null)
            : null;
    if (sleep != null) {
      sleep.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS); // a hang guard
      assertFalse(sleep.isAlive(), "the create's child was ended");
    }
  }

  @Test
  void aPipeThatFailsReadsAsItsEnd() {
    java.io.InputStream broken =
        new java.io.InputStream() {
          @Override
          public int read() throws java.io.IOException {
            throw new java.io.IOException("gone");
          }
        };
    assertEquals(null, RunKeeper.readLine(broken));
  }

  @Test
  void failedCreateReportsItsExitCodeAndRemovesNothing() throws Exception {
    keep("", "echo 'no such image' >&2; echo half-id; exit 3");

    assertEquals("failed 3\n", reported());
    assertEquals("", cliCalls());
    assertTrue(stderr().contains("no such image"), stderr());
  }

  @Test
  void createWithoutAnIdIsAFailure() throws Exception {
    keep("", "printf '\\n \\n'");

    assertEquals("failed -1\n", reported());
    assertEquals("", cliCalls());
  }

  @Test
  void createThatCannotStartNamesTheCli() throws Exception {
    String missing = tmp.resolve("no-such-cli").toString();
    keep("", List.of(cli.toString(), missing, "create", "img"), toMaven);

    assertEquals("failed -1\n", reported());
    assertTrue(stderr().contains("Could not start the container CLI `" + missing + "`"), stderr());
    assertEquals("", cliCalls());
  }

  @Test
  void aCliThatCannotRunToRemoveIsNamedWithTheContainer() throws Exception {
    String missing = tmp.resolve("gone-cli").toString();
    keep("", List.of(missing, "/bin/sh", "-c", "echo id-3"), toMaven);

    assertEquals("created id-3\n", reported());
    assertTrue(
        stderr().startsWith("[nss] could not run " + missing + " to remove container id-3: "),
        stderr());
  }

  @Test
  void commandStartsThisClassWithTheCliAndCreateAfterSetsid() {
    List<String> argv =
        RunKeeper.command(
            "podman", List.of("podman", "create", "img"), "setsid", Duration.ofSeconds(7));

    assertEquals("setsid", argv.get(0));
    assertTrue(argv.get(1).endsWith("/bin/java"), argv.get(1));
    int main = argv.indexOf(RunKeeper.class.getName());
    assertEquals("-cp", argv.get(main - 2));
    assertTrue(argv.subList(0, main).contains("-Dnss.engineTimeout=7"), "the create's limit");
    assertEquals(List.of("podman", "podman", "create", "img"), argv.subList(main + 1, argv.size()));
    assertFalse(
        RunKeeper.command("docker", List.of("docker"), null, Duration.ofSeconds(1))
            .contains("setsid"));
  }
}
