package dev.nss.doctor;

import static dev.nss.doctor.FakeCommandRunner.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandResult;
import dev.nss.core.CommandRunner;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other docker client a BuildKit or buildx fix names: found on PATH or in the usual places, and
 * only when it can build (buildx, or BuildKit built in).
 */
class BuildKitClientsTest {

  private static final String BUILDX = "github.com/docker/buildx v0.12.1 30feaa1";
  private static final String CLIENT_VERSION = "docker version --format {{.Client.Version}}";

  @TempDir Path tmp;
  private TestHost host;

  @BeforeEach
  void setUp() {
    host = new TestHost(tmp);
    host.program("docker"); // the CLI in use: first on PATH
  }

  /** The host's runner, except that {@code client} answers {@code buildx version} with buildx. */
  private CheckContext withBuildx(Path client) throws Exception {
    String real = client.toRealPath().toString();
    CommandRunner runner =
        command ->
            command.argv().equals(List.of(real, "buildx", "version"))
                ? CommandResult.exited(0, BUILDX + "\n", "")
                : host.runner.run(command);
    return new CheckContext(host.settings().build(), host.environment(runner));
  }

  @Test
  void aClientWithBuildxInALaterPathDirectoryIsNamed() throws Exception {
    Path other = host.hostProgram("/opt/docker/bin/docker");
    host.env.put("PATH", host.bin + File.pathSeparator + File.pathSeparator + other.getParent());
    assertEquals(
        Optional.of(
            "-Dnss.containerCli=" + other.toRealPath() + " (it has buildx: " + BUILDX + ")"),
        BuildKitClients.another(withBuildx(other)));
  }

  @Test
  void theClientInUseIsNeverNamed() throws Exception {
    assertEquals(Optional.empty(), BuildKitClients.another(withBuildx(host.bin.resolve("docker"))));
  }

  @Test
  void onlyClientsFrom1809To22xHaveBuildKitBuiltIn() throws Exception {
    Path other = host.hostProgram("/usr/local/bin/docker").toRealPath();
    for (String version : List.of("18.09.9", "19.03.15", "20.10.24+dfsg1", "22.06.0-beta.0")) {
      host.runner.answer(CLIENT_VERSION, 0, version + "\n", "");
      assertEquals(
          Optional.of(
              "-Dnss.containerCli=" + other + " (docker " + version + ", BuildKit built in)"),
          BuildKitClients.another(host.context()),
          version);
    }
    for (String version : List.of("18.06.3-ce", "1.13.1", "23.0.1", "28.2.2", "unknown", "")) {
      host.runner.answer(CLIENT_VERSION, 0, version + "\n", "");
      assertEquals(Optional.empty(), BuildKitClients.another(host.context()), version);
    }
    host.runner.answer(CLIENT_VERSION, 1, "20.10.24\n", "Cannot connect to the Docker daemon\n");
    assertEquals(
        Optional.empty(), BuildKitClients.another(host.context()), "a client that fails is none");
  }

  @Test
  void buildxMissingNamesAnotherClientOnlyWhenThatOneHasBuildx() throws Exception {
    host.runner.answer(
        "docker buildx version", 1, "", resource("docker/buildx-missing-client-20.10.err"));
    Path other = host.hostProgram("/usr/bin/docker");
    Finding f = new BuildxCheck().run(withBuildx(other));
    assertEquals(Status.WARNING, f.status());
    assertTrue(
        f.fix()
            .endsWith(
                " (or the buildx binary in ~/.docker/cli-plugins/), or use -Dnss.containerCli="
                    + other.toRealPath()
                    + " (it has buildx: "
                    + BUILDX
                    + ")"),
        f.fix());
    host.runner.answer(CLIENT_VERSION, 0, "20.10.24+dfsg1\n", "");
    String fix = new BuildxCheck().run(host.context()).fix();
    assertFalse(fix.contains("or use"), "BuildKit built in is no buildx: " + fix);
    assertTrue(fix.endsWith("in ~/.docker/cli-plugins/)"), fix);
  }

  @Test
  void buildxIsNotCheckedWithoutTheCli() throws Exception {
    TestHost bare = new TestHost(tmp.resolve("bare"));
    Finding f = new BuildxCheck().run(bare.context());
    assertEquals(Status.WARNING, f.status());
    assertEquals("not checked: docker not found", f.value());
    assertTrue(f.fix().contains("-Dnss.containerCli="), f.fix());
    assertTrue(bare.runner.commands().isEmpty());
  }
}
