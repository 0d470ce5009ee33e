package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.SampleProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, agent faults, in the real image on the real engine (tini → launcher → agent → program).
 * The agent's unit and process tests (entrypoint-agent/src/test: PreflightTest, MainTest,
 * DistributionProcessTest) cover each check with fakes and temp dirs; this row covers what only a
 * container shows: a workspace the container user cannot read, HF_HOME a file, no /dev/shm at all
 * (--ipc=none), an empty PATH, an unwritable report path and an arbitrary --user. Targets
 * missing/not executable through Maven: ExitCodesIT.agentExitCodesReachMavenWithTheAgentsReason.
 */
class AgentFaultsIT {

  @Test
  void theLaunchProceedsAndSaysWhy() throws Exception {
    String image = RelImage.runtime();
    Path ws = Rel.work().resolve("agent-faults-ws");
    SampleProject.delete(ws);
    Files.createDirectories(ws);
    Files.writeString(ws.resolve("data.csv"), "a,b\n");
    Files.setPosixFilePermissions(ws, PosixFilePermissions.fromString("---------"));
    List<String[]> cases = new ArrayList<>();
    cases.add(
        new String[] {
          "unreadable workspace",
          "the workspace check could not run (AccessDeniedException: /workspace)",
          "-v",
          ws + ":/workspace"
        });
    cases.add(
        new String[] {
          "HF_HOME is a file",
          "WARNING: HF_HOME=/etc/hostname is not an existing directory",
          "-e",
          "HF_HOME=/etc/hostname"
        });
    cases.add(new String[] {"/dev/shm missing", "WARNING: /dev/shm does not exist", "--ipc=none"});
    cases.add(
        new String[] {
          "report path unwritable",
          "cannot write the preflight report to /report.json",
          "-e",
          "NSS_PREFLIGHT_REPORT=/report.json"
        });
    cases.add(new String[] {"arbitrary uid", "not writable by uid 4242", "--user", "4242:4242"});
    try {
      for (String[] c : cases) {
        List<String> argv = new ArrayList<>(List.of("run", "--rm"));
        argv.addAll(List.of(c).subList(2, c.length));
        argv.addAll(List.of(image, "generate"));
        Rel.Result r = Rel.docker(argv.toArray(String[]::new));
        assertEquals(0, r.exitCode(), c[0] + ": the launch proceeds\n" + r.describe());
        assertTrue(
            r.out().contains("SAFE-SYNTHESIZER-REPORT {\"argv\": [\"generate\"]"),
            c[0] + ":\n" + r.describe());
        assertTrue(
            r.err().contains("[nss-container] ") && r.err().contains(c[1]),
            c[0] + ": says why\n" + r.describe());
        assertTrue(!r.out().contains("[nss-container]"), c[0] + ": hints stay off stdout");
      }
    } finally {
      Files.setPosixFilePermissions(ws, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Timings.note(
        "agent faults: "
            + cases.size()
            + " container-level faults, launch proceeded with the reason on stderr");
  }

  /**
   * An empty PATH fails 127 and says why. Found: the image's {@code ENTRYPOINT ["tini", "--",
   * "nss-entrypoint"]} names tini by PATH, so runc cannot start it (docker exit 127, "executable
   * file not found in $PATH") and the agent never runs; and the jvm launcher, reached through its
   * /usr/local/bin symlink, needs {@code readlink} from PATH. Reached by absolute paths, the agent
   * itself says that safe-synthesizer is not on PATH. Either reason is accepted, so the test keeps
   * holding once the entrypoint uses absolute paths.
   */
  @Test
  void emptyPathFails127AndSaysWhy() {
    String image = RelImage.runtime();
    Rel.Result viaEntrypoint = Rel.docker("run", "--rm", "-e", "PATH=", image, "generate");
    assertEquals(127, viaEntrypoint.exitCode(), viaEntrypoint::describe);
    assertTrue(
        viaEntrypoint.err().contains("executable file not found in $PATH")
            || viaEntrypoint.err().contains("safe-synthesizer was not found on PATH"),
        viaEntrypoint::describe);
    Timings.note(
        "agent faults: empty PATH via the image's entrypoint: "
            + (viaEntrypoint.err().contains("executable file not found")
                ? "runc cannot find tini (agent never runs)"
                : "the agent says why"));

    Rel.Result agent =
        Rel.docker(
            "run",
            "--rm",
            "-e",
            "PATH=",
            "--entrypoint",
            "/usr/bin/tini",
            image,
            "--",
            "/opt/nss-entrypoint/bin/nss-entrypoint",
            "generate");
    assertEquals(127, agent.exitCode(), agent::describe);
    assertTrue(agent.err().contains("safe-synthesizer was not found on PATH"), agent::describe);
  }
}
