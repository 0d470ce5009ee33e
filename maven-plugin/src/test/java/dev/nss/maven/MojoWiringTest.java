package dev.nss.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.container.RealKeeper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Mojos' parameters reach the core, failures map to MojoFailureException, secrets stay out of
 * argv and log.
 */
class MojoWiringTest {

  @TempDir Path tmp;
  Path basedir;
  Path agentJar;
  final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
  final CapturingLog log = new CapturingLog();
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  Path stdinCopy;

  @BeforeEach
  void setUp() throws Exception {
    basedir = Files.createDirectories(tmp.resolve("project"));
    Files.createDirectories(basedir.resolve("containers"));
    Files.writeString(basedir.resolve("containers/Dockerfile.cuda"), "FROM scratch\n");
    agentJar = Files.write(tmp.resolve("agent.jar"), new byte[] {1, 2, 3});
    stdinCopy = tmp.resolve("stdin");
  }

  private <M extends AbstractNssMojo> M wire(M mojo) {
    Model model = new Model();
    model.setGroupId("g");
    model.setArtifactId("a");
    model.setVersion("4.5.6");
    Build build = new Build();
    build.setDirectory(basedir.resolve("target").toString());
    model.setBuild(build);
    MavenProject project = new MavenProject(model);
    project.setFile(basedir.resolve("pom.xml").toFile());
    mojo.project = project;
    PluginDescriptor plugin = new PluginDescriptor();
    Artifact agent =
        new DefaultArtifact(
            "dev.nss",
            "nss-entrypoint",
            "0.1.0",
            "runtime",
            "jar",
            null,
            new DefaultArtifactHandler("jar"));
    agent.setFile(agentJar.toFile());
    plugin.setArtifacts(List.of(agent));
    mojo.plugin = plugin;
    mojo.containerCli = "docker";
    mojo.context = basedir.toFile();
    mojo.image = "nss-gpu:latest";
    mojo.imageDev = "nss-gpu-dev:latest";
    mojo.platform = "linux/amd64";
    mojo.environment = Map.of("PATH", "/nonexistent");
    mojo.stderr = new PrintStream(stderr, true, StandardCharsets.UTF_8);
    mojo.processes =
        argv -> {
          calls.add(List.copyOf(argv));
          String script =
              switch (argv.get(1)) {
                case "login" -> "cat > '" + stdinCopy + "'";
                case "image" ->
                    "echo '[{\"Id\": \"sha256:1\", \"Os\": \"linux\", \"Architecture\": \"amd64\"}]'";
                case "push" -> "echo 'latest: digest: sha256:" + "a".repeat(64) + " size: 1'";
                case "create" -> "echo id-of-the-container";
                default -> "exit 0";
              };
          return new ProcessBuilder("sh", "-c", script);
        };
    mojo.processes = RealKeeper.around(mojo.processes); // a run's keeper runs for real
    mojo.setLog(log);
    return mojo;
  }

  private RunGpuMojo runGpu() {
    RunGpuMojo mojo = wire(new RunGpuMojo());
    mojo.hfCache = tmp.resolve("hf").toString();
    mojo.gpuFlag = "--gpus all";
    mojo.shmSize = "1g";
    mojo.interactive = false;
    return mojo;
  }

  @Test
  void runGpuWithSecretsAtDebugLevel() throws Exception {
    RunGpuMojo mojo = runGpu();
    mojo.environment = Map.of("HF_TOKEN", "hf_TOPs3cr3t", "NSS_INFERENCE_KEY", "nvapi-TOPs3cr3t");
    mojo.cmdLine = "generate --x 'a b'";
    mojo.execute();
    assertEquals(4, calls.size()); // docker info (rootless?), build, create, start
    List<String> run = calls.get(2);
    assertTrue(run.get(4).matches("nss-run-[0-9a-f]{12}"), run.toString());
    assertTrue(run.containsAll(List.of("HF_TOKEN", "NSS_INFERENCE_KEY")), run.toString());
    assertEquals(
        List.of("nss-gpu:latest", "generate", "--x", "a b"),
        run.subList(run.size() - 4, run.size()));
    String everything = log.all() + calls + stderr.toString(StandardCharsets.UTF_8);
    assertFalse(everything.contains("TOPs3cr3t"), everything);
    assertTrue(
        calls.get(1).contains("org.opencontainers.image.version=4.5.6"), "project version label");
    assertFalse(Files.exists(basedir.resolve(".nss-build")), "staging cleaned up");
  }

  @Test
  void runGpuDevRunsTheDevImageWithMakeTest() throws Exception {
    RunGpuDevMojo mojo = wire(new RunGpuDevMojo());
    mojo.hfCache = tmp.resolve("hf").toString();
    mojo.gpuFlag = "";
    mojo.shmSize = "1g";
    mojo.interactive = false;
    mojo.skipBuild = true;
    mojo.execute();
    List<String> run = calls.get(2); // after docker info and the image inspect of the pull step
    assertEquals(
        List.of("nss-gpu-dev:latest", "make", "test"), run.subList(run.size() - 3, run.size()));
  }

  @Test
  void userAndShellReachTheCore() throws Exception {
    RunGpuMojo run = runGpu();
    run.skipBuild = true;
    run.user = "1234:5678";
    run.execute();
    List<String> create = calls.get(1); // after the image inspect of the pull step
    int at = create.indexOf("--user");
    assertEquals(List.of("--user", "1234:5678", "-e", "HOME=/tmp"), create.subList(at, at + 4));
    calls.clear();
    ShellMojo shell = wire(new ShellMojo());
    shell.hfCache = tmp.resolve("hf").toString();
    shell.gpuFlag = "";
    shell.shmSize = "1g";
    shell.user = "image";
    shell.skipBuild = true;
    shell.interactive = true;
    shell.execute();
    create = calls.get(1);
    assertFalse(create.contains("--user"), create.toString());
    assertEquals(
        List.of("--entrypoint", "/bin/bash", "-w", "/workspace", "nss-gpu-dev:latest"),
        create.subList(create.size() - 5, create.size()));
    assertEquals(
        List.of("docker", "start", "--attach", "--interactive", "id-of-the-container"),
        calls.get(2));
    shell.interactive = false;
    MojoFailureException e = assertThrows(MojoFailureException.class, shell::execute);
    assertTrue(e.getMessage().startsWith("nss.interactive: "), e.getMessage());
  }

  @Test
  void cmdListWinsOverTheString() throws Exception {
    RunGpuMojo mojo = runGpu();
    mojo.skipBuild = true;
    mojo.cmdLine = "ignored";
    mojo.cmd = List.of("x y", "");
    mojo.execute();
    List<String> run = calls.get(2); // after docker info and the image inspect
    assertEquals(List.of("nss-gpu:latest", "x y", ""), run.subList(run.size() - 3, run.size()));
  }

  @Test
  void badInputIsAMojoFailureBeforeAnyCall() {
    RunGpuMojo mojo = runGpu();
    mojo.platform = "amd64";
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().startsWith("nss.platform: "), e.getMessage());
    assertTrue(calls.isEmpty());
  }

  @Test
  void engineFailureIsAMojoFailureWithTheExitCode() {
    RunGpuMojo mojo = runGpu();
    mojo.skipBuild = true;
    mojo.processes = RealKeeper.around(argv -> new ProcessBuilder("sh", "-c", "exit 3"));
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("code 3"), e.getMessage());
    assertEquals(null, e.getCause());
  }

  @Test
  void skipRunsNothing() throws Exception {
    BuildGpuMojo mojo = wire(new BuildGpuMojo(new FakeDecrypter()));
    mojo.skip = true;
    mojo.execute();
    assertTrue(calls.isEmpty());
  }

  @Test
  void containerCliDefaultsToDockerWithoutPodmanOnPath() throws Exception {
    BuildGpuDevMojo mojo = wire(new BuildGpuDevMojo(new FakeDecrypter()));
    mojo.containerCli = null;
    mojo.execute();
    assertEquals( // whether the engine answers, before the build (no time limit)
        List.of("docker", "version", "--format", "{{.Server.Version}}"), calls.get(0));
    assertEquals(
        List.of(
            "docker",
            "build",
            "--platform",
            "linux/amd64",
            "--tag",
            "nss-gpu-dev:latest",
            "--target",
            "dev",
            "--progress=plain",
            "--label",
            "org.opencontainers.image.version=4.5.6",
            "-f",
            "containers/Dockerfile.cuda",
            "."),
        calls.get(1));
  }

  private static final class FakeDecrypter implements SettingsDecrypter {
    @Override
    public SettingsDecryptionResult decrypt(SettingsDecryptionRequest request) {
      Server in = request.getServers().get(0);
      Server out = in.clone();
      out.setPassword(in.getPassword().replace("{encrypted}", "pa55-TOPs3cr3t"));
      return new SettingsDecryptionResult() {
        @Override
        public Server getServer() {
          return out;
        }

        @Override
        public List<Server> getServers() {
          return List.of(out);
        }

        @Override
        public org.apache.maven.settings.Proxy getProxy() {
          return null;
        }

        @Override
        public List<org.apache.maven.settings.Proxy> getProxies() {
          return List.of();
        }

        @Override
        public List<SettingsProblem> getProblems() {
          return List.of();
        }
      };
    }
  }

  private PushGpuMojo push() {
    PushGpuMojo mojo = wire(new PushGpuMojo(new FakeDecrypter()));
    mojo.registry = "127.0.0.1:5000/team";
    Settings settings = new Settings();
    Server server = new Server();
    server.setId("local-registry");
    server.setUsername("bot");
    server.setPassword("{encrypted}");
    settings.addServer(server);
    mojo.mavenSettings = settings;
    return mojo;
  }

  @Test
  void pushLogsInWithTheDecryptedPasswordOnStdinOnly() throws Exception {
    PushGpuMojo mojo = push();
    mojo.registryServerId = "local-registry";
    mojo.tagVariant = "cu128";
    mojo.execute();
    assertEquals(
        List.of("docker", "login", "--username", "bot", "--password-stdin", "127.0.0.1:5000"),
        calls.get(1));
    assertEquals("pa55-TOPs3cr3t", Files.readString(stdinCopy));
    assertEquals(List.of("docker", "push", "127.0.0.1:5000/team/nss-gpu:cu128"), calls.get(3));
    assertEquals(
        List.of("docker", "push", "127.0.0.1:5000/team/nss-gpu:4.5.6-cu128"), calls.get(5));
    assertEquals(List.of("docker", "logout", "127.0.0.1:5000"), calls.get(6));
    assertTrue(
        Files.readString(basedir.resolve("target/nss-image.json"))
            .contains(
                "\"reference\": \"127.0.0.1:5000/team/nss-gpu@sha256:" + "a".repeat(64) + "\""));
    String everything = log.all() + calls;
    assertFalse(everything.contains("TOPs3cr3t"), everything);
  }

  @Test
  void buildGpuLogsInToItsCacheRegistryWithTheDecryptedPasswordOnStdinOnly() throws Exception {
    BuildGpuMojo mojo = wire(new BuildGpuMojo(new FakeDecrypter()));
    mojo.mavenSettings = push().mavenSettings;
    mojo.registryServerId = "local-registry";
    mojo.registryInsecure = true;
    mojo.containerCli = "podman";
    mojo.cacheFrom = List.of("127.0.0.1:5000/team/nss-gpu:buildcache");
    mojo.execute();
    assertEquals(
        List.of(
            "podman",
            "login",
            "--tls-verify=false",
            "--username",
            "bot",
            "--password-stdin",
            "127.0.0.1:5000"),
        calls.get(0));
    assertEquals("pa55-TOPs3cr3t", Files.readString(stdinCopy));
    assertEquals(List.of("podman", "version", "--format", "{{.Client.Version}}"), calls.get(1));
    assertTrue(calls.get(2).contains("--tls-verify=false"), calls.toString());
    assertEquals(List.of("podman", "logout", "127.0.0.1:5000"), calls.get(calls.size() - 1));
    String everything = log.all() + calls;
    assertFalse(everything.contains("TOPs3cr3t"), everything);
  }

  @Test
  void unknownServerIdIsAClearFailure() {
    PushGpuMojo mojo = push();
    mojo.registryServerId = "missing";
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(
        e.getMessage()
            .startsWith("nss.registryServerId: settings.xml has no <server> with id 'missing'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("to ~/.m2/settings.xml, or unset"), e.getMessage());
    assertTrue(calls.isEmpty());
  }

  /** With {@code mvn -s FILE}, the message names that file, where the server must be added. */
  @Test
  @SuppressWarnings("deprecation")
  void unknownServerIdNamesTheSettingsFileInUse() {
    PushGpuMojo mojo = push();
    mojo.registryServerId = "missing";
    org.apache.maven.execution.DefaultMavenExecutionRequest request =
        new org.apache.maven.execution.DefaultMavenExecutionRequest();
    request.setUserSettingsFile(new java.io.File("/ci/maven-settings.xml"));
    mojo.session = new org.apache.maven.execution.MavenSession(null, request, null, List.of());
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(
        e.getMessage().contains("(settings in use: /ci/maven-settings.xml)"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("</server> to /ci/maven-settings.xml, or unset nss.registryServerId."),
        e.getMessage());
  }
}
