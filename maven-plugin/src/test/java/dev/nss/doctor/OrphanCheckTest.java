package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.engine.RunOwner;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** orphans: which labelled containers count as left behind, and the command that removes them. */
class OrphanCheckTest {

  private static final String PS = "docker ps -a -q --no-trunc --filter label=dev.nss.maven-pid";
  private static final String INSPECT = "docker container inspect --format " + OrphanCheck.FORMAT;

  @TempDir Path tmp;
  private TestHost host;
  private RunOwner here;

  @BeforeEach
  void setUp() {
    host = new TestHost(tmp);
    host.program("docker");
    here = RunOwner.current();
  }

  @Test
  void noLabelledContainersIsOk() throws Exception {
    host.runner.answer(PS, 0, "\n", "");
    assertEquals(Finding.ok("no nss run containers"), new OrphanCheck(here).run(host.context()));
  }

  @Test
  void containersWhoseMavenIsGoneAreListedWithTheRemoveCommand() throws Exception {
    ProcessHandle self = ProcessHandle.current();
    long start = self.info().startInstant().orElseThrow().toEpochMilli();
    host.runner.answer(PS, 0, "aaa\nbbb\nccc\nddd\neee\n", "");
    host.runner.answer(
        INSPECT + " aaa bbb ccc ddd eee",
        0,
        String.join(
                "\n",
                row(
                    "aaa111111111111",
                    "/nss-run-alive",
                    self.pid(),
                    start,
                    here.bootId(),
                    here.host(),
                    "running"),
                row(
                    "bbb222222222222",
                    "/nss-run-reused",
                    self.pid(),
                    start - 5000,
                    here.bootId(),
                    here.host(),
                    "running"),
                row(
                    "ccc333333333333",
                    "/nss-run-rebooted",
                    self.pid(),
                    start,
                    "another-boot",
                    here.host(),
                    "created"),
                row(
                    "ddd444444444444",
                    "/nss-run-elsewhere",
                    1,
                    1,
                    "another-boot",
                    "another-host",
                    "running"),
                row("eee555555555555", "/nss-run-nolabels", "", "", "", "", "running"))
            + "\n",
        "");
    Finding f = new OrphanCheck(here).run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertEquals(
        "2 container(s) whose Maven is gone: nss-run-reused (running, Maven "
            + self.pid()
            + "), nss-run-rebooted (created, Maven "
            + self.pid()
            + ")",
        f.value());
    assertEquals("docker rm -f bbb222222222 ccc333333333", f.fix());
  }

  @Test
  void aLiveMavenIsNotAnOrphanAndPodmanGetsItsRemoveFlags() throws Exception {
    Path podman = host.program("podman");
    ProcessHandle self = ProcessHandle.current();
    long start = self.info().startInstant().orElseThrow().toEpochMilli();
    host.runner.answer(PS.replace("docker", "podman"), 0, "aaa\n", "");
    host.runner.answer(
        INSPECT.replace("docker", "podman") + " aaa",
        0,
        row("aaa", "nss-run-alive", self.pid(), start, here.bootId(), here.host(), "running")
            + "\n",
        "");
    Finding f =
        new OrphanCheck(here)
            .run(host.context(host.settings().containerCli(podman.toString()).build()));
    assertEquals(Status.OK, f.status(), f.toString());
    assertTrue(
        f.value().startsWith("1 nss run container(s), each with its Maven still running"),
        f.value());
  }

  @Test
  void anEngineThatDoesNotAnswerIsNotChecked() throws Exception {
    host.runner.answer(
        PS, 1, "", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n");
    Finding f = new OrphanCheck(here).run(host.context());
    assertEquals(Status.WARNING, f.status());
    assertTrue(f.value().startsWith("not checked: `docker ps` failed (Cannot connect"), f.value());
  }

  private static String row(Object... fields) {
    StringBuilder sb = new StringBuilder();
    for (Object field : fields) {
      sb.append(sb.length() == 0 ? "" : "\t").append(field);
    }
    return sb.toString();
  }

  @Test
  void withoutTheCliOrphansAreNotChecked() throws Exception {
    TestHost bare = new TestHost(tmp.resolve("bare"));
    Finding f = new OrphanCheck(here).run(bare.context());
    assertEquals(Status.WARNING, f.status());
    assertEquals("not checked: docker not found", f.value());
    assertTrue(f.fix().contains("-Dnss.containerCli="), f.fix());
    assertTrue(bare.runner.commands().isEmpty());
  }
}
