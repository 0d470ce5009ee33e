package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.doctor.MiniSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10 on a real registry (docker-registry with htpasswd auth on a free 127.0.0.1 port): push-gpu of the runtime
 * image built from the real Dockerfile.cuda, pulled back by the recorded digest; build-gpu-multiarch of linux/amd64 +
 * linux/arm64 without buildx; a refused login. Each on docker and on podman.
 */
class PublishIT {

  private static final String SERVER = "nss-it-registry";
  private static final Pattern LOGIN_DIR = Pattern.compile("(?:DOCKER_CONFIG|REGISTRY_AUTH_FILE)=(\\S*nss-registry-\\w+)");
  private static Registry registry;
  private static final List<String> pulled = new ArrayList<>();

  /** The two CLIs; podman gets the images it pushes into its own store first. */
  enum Engine {
    DOCKER(Docker.CLI),
    PODMAN("/usr/bin/podman");

    final String cli;

    Engine(String cli) {
      this.cli = cli;
    }

    /** Runs the CLI with the test registry's own login (never the user's). */
    Docker.ProcessResult run(String... args) {
      List<String> argv = new ArrayList<>(List.of(cli));
      argv.addAll(List.of(args));
      Map<String, String> env = new java.util.HashMap<>(registry.loginEnvironment());
      env.put("DOCKER_BUILDKIT", "1");
      env.put("DOCKER_CLI_EXPERIMENTAL", "enabled");
      return Docker.ProcessResult.of(argv, env);
    }

    String id(String ref) {
      Docker.ProcessResult r = run("image", "inspect", "--format", "{{.Id}}", ref);
      assertEquals(0, r.exitCode(), r::toString);
      return r.stdout().strip().replaceFirst("^sha256:", "");
    }

    /** {@code pull}/{@code run} flags for the plain-HTTP test registry. */
    List<String> insecure() {
      return this == PODMAN ? List.of("--tls-verify=false") : List.of();
    }
  }

  @BeforeAll
  static void startRegistry() {
    Fixtures.requireEngine();
    registry = Registry.start("nss-it", "it-pw-" + Long.toHexString(System.nanoTime()));
  }

  @AfterAll
  static void stopRegistry() {
    for (String ref : pulled) {
      Docker.run("image", "rm", "--force", ref);
      Docker.ProcessResult.of(List.of("/usr/bin/podman", "rmi", "--force", ref), Map.of());
    }
    if (registry != null) {
      registry.close();
    }
  }

  private String repositoryNamespace(Engine engine, String what) {
    return registry.host() + "/" + what + "-" + engine.name().toLowerCase() + "-" + Fixtures.RUN_ID;
  }

  /** push-gpu of the runtime image with the default tags; the digest pulls the very same image back. */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void pushesTheRuntimeImageAndItPullsBackByDigest(Engine engine) throws Exception {
    BuildLog build = Fixtures.runtimeBuild();
    assertTrue(build.succeeded(), build::describe);
    SampleProject project = Fixtures.runtimeProject();
    if (engine == Engine.PODMAN) {
      loadIntoPodman(Fixtures.RUNTIME_IMAGE);
    }
    String namespace = repositoryNamespace(engine, "push");
    long start = System.nanoTime();
    BuildLog push = project.maven("nss:push-gpu")
        .property("nss.containerCli", engine.cli)
        .property("nss.image", Fixtures.RUNTIME_IMAGE)
        .property("nss.registry", namespace)
        .property("nss.registryServerId", SERVER)
        .property("nss.registryInsecure", "true")
        .settings(registry.settings(SERVER, registry.password()))
        .run();
    note("push-gpu (" + engine + ", 3 tags, " + Fixtures.RUNTIME_IMAGE + "): "
        + (System.nanoTime() - start) / 1_000_000 + " ms");
    assertTrue(push.succeeded(), push::describe);

    String repository = namespace + "/nss-it/gpu";
    Map<String, Object> record = validRecord(project.dir());
    forgetLocalTags(repository, record);
    String digest = (String) record.get("digest");
    assertTrue(push.stdout().contains("Pushed " + repository + "@" + digest), push::describe);
    String sha = "sha-" + Fixtures.runtimeRevision().substring(0, 12);
    assertEquals(List.of("latest", "0.1.0", sha), record.get("tags"));
    assertEquals(List.of("linux/amd64"), record.get("platforms"));
    assertEquals(Fixtures.runtimeRevision(), record.get("revision"));
    assertEquals("0.1.0", record.get("version"));
    assertEquals(List.of("0.1.0", "latest", sha), registry.tags(namespace.substring(registry.host().length() + 1)
        + "/nss-it/gpu").stream().sorted().toList());

    String pinned = repository + "@" + digest;
    List<String> pull = new ArrayList<>(List.of("pull"));
    pull.addAll(engine.insecure());
    pull.add(pinned);
    pulled.add(pinned);
    Docker.ProcessResult pulledBack = engine.run(pull.toArray(String[]::new));
    assertEquals(0, pulledBack.exitCode(), pulledBack::toString);
    assertEquals(engine.id(Fixtures.RUNTIME_IMAGE), engine.id(pinned), "the digest names the image that was built");
    assertLoginLeftNothing(push, registry.password());
  }

  /** build-gpu-multiarch without buildx: amd64 + arm64 in one list; the arm64 image ran its RUN step on aarch64. */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void multiArchPushesAListWithAmd64AndArm64(Engine engine) throws Exception {
    Fixtures.standIns();
    Docker.ProcessResult busybox = Docker.ProcessResult.of(List.of("sh",
        ItEnv.root().resolve("it/stand-ins/busybox-arm64.sh").toString()), Map.of("NSS_DOCKER", Docker.CLI));
    assertEquals(0, busybox.exitCode(), busybox::toString);
    SampleProject project = SampleProject.multiArch("multiarch-" + engine.name().toLowerCase(),
        Path.of(busybox.stdout().strip()));
    String namespace = repositoryNamespace(engine, "multiarch");
    long start = System.nanoTime();
    BuildLog log = project.maven("nss:build-gpu-multiarch")
        .property("nss.containerCli", engine.cli)
        .property("nss.image", "nss-it/arch:local")
        .property("nss.registry", namespace)
        .property("nss.tags", "latest,t2")
        .property("nss.registryServerId", SERVER)
        .property("nss.registryInsecure", "true")
        .settings(registry.settings(SERVER, registry.password()))
        .run();
    note("build-gpu-multiarch (" + engine + ", linux/amd64+linux/arm64, 2 tags, warm cache): "
        + (System.nanoTime() - start) / 1_000_000 + " ms");
    assertTrue(log.succeeded(), log::describe);
    assertFalse(log.stdout().contains(" buildx build "), "no buildx here:\n" + log.describe());

    String repository = namespace + "/nss-it/arch";
    Map<String, Object> record = validRecord(project.dir());
    pulled.add(repository + ":latest-linux-amd64"); // docker's per-platform builds
    pulled.add(repository + ":latest-linux-arm64");
    if (engine == Engine.PODMAN) {
      Docker.ProcessResult lists = engine.run("manifest", "exists", repository + ":latest");
      assertEquals(1, lists.exitCode(), "the goal removed its local manifest list: " + lists);
    }
    assertEquals(List.of("linux/amd64", "linux/arm64"), record.get("platforms"));
    String digest = (String) record.get("digest");

    Docker.ProcessResult inspect = Engine.DOCKER.run("manifest", "inspect", "--insecure", repository + ":t2");
    assertEquals(0, inspect.exitCode(), inspect::toString);
    List<String> architectures = new ArrayList<>();
    for (Object m : (List<?>) Json.object(inspect.stdout()).get("manifests")) {
      architectures.add((String) dev.nss.doctor.Json.at(m, "platform", "architecture"));
    }
    assertEquals(List.of("amd64", "arm64"), architectures.stream().sorted().toList(), inspect.stdout());

    String pinned = repository + "@" + digest;
    pulled.add(pinned);
    for (String[] platform : new String[][] {{"linux/arm64", "aarch64"}, {"linux/amd64", "x86_64"}}) {
      List<String> run = new ArrayList<>(List.of("run", "--rm", "--platform", platform[0]));
      run.addAll(engine.insecure());
      run.add(pinned);
      Docker.ProcessResult ran = engine.run(run.toArray(String[]::new));
      assertEquals(0, ran.exitCode(), ran::toString);
      assertEquals(platform[1], ran.stdout().strip(), "the RUN step of " + platform[0] + " ran on that machine");
      engine.run("image", "rm", "--force", pinned);
    }
    assertLoginLeftNothing(log, registry.password());
  }

  /** A wrong password: the goal fails naming the server id, and the registry has nothing. */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void refusedLoginNamesTheServerAndPushesNothing(Engine engine) {
    SampleProject project = SampleProject.withContainers("push-refused-" + engine.name().toLowerCase());
    String namespace = repositoryNamespace(engine, "refused");
    String wrong = "wrong-pw-" + Long.toHexString(System.nanoTime());
    String image = tinyImage(engine, project.dir());
    BuildLog log = project.maven("nss:push-gpu")
        .property("nss.containerCli", engine.cli)
        .property("nss.image", image)
        .property("nss.registry", namespace)
        .property("nss.registryServerId", SERVER)
        .property("nss.registryInsecure", "true")
        .settings(registry.settings(SERVER, wrong))
        .run();
    assertFalse(log.succeeded(), log::describe);
    assertTrue(log.all().contains("settings.xml server '" + SERVER + "'"), log::describe);
    assertTrue(log.all().contains("nothing was pushed"), log::describe);
    assertFalse(log.stdout().contains(" push "), "no push ran:\n" + log.describe());
    assertEquals(List.of(), registry.tags(namespace.substring(registry.host().length() + 1) + "/nss-it/tiny"));
    assertEquals(List.of(), log.stackTraceLines(), log::describe);
    assertLoginLeftNothing(log, wrong);
  }

  /** docker push-gpu leaves REPOSITORY:TAG tags in the local store, as `docker tag` + `docker push` do. */
  private static void forgetLocalTags(String repository, Map<String, Object> record) {
    for (Object tag : (List<?>) record.get("tags")) {
      pulled.add(repository + ":" + tag);
    }
  }

  /** Durations for the report (failsafe keeps the test's stdout). */
  private static void note(String line) {
    System.out.println("[publish-timing] " + line);
  }

  /** A one-file image in the engine's own store, removed when the class ends. */
  private static String tinyImage(Engine engine, Path dir) {
    String ref = "nss-it/tiny:" + engine.name().toLowerCase() + "-" + Fixtures.RUN_ID;
    Path tar = dir.resolve("target/tiny.tar");
    dir.resolve("target").toFile().mkdirs();
    Docker.ProcessResult packed = Docker.ProcessResult.of(List.of("tar", "-C", dir.toString(), "-cf", tar.toString(), "README.md"), Map.of());
    assertEquals(0, packed.exitCode(), packed::toString);
    Docker.ProcessResult imported = engine.run("import", tar.toString(), ref);
    assertEquals(0, imported.exitCode(), imported::toString);
    pulled.add(ref);
    return ref;
  }

  /** The record validates against the schema in the plugin jar. */
  private static Map<String, Object> validRecord(Path projectDir) throws IOException {
    Path file = projectDir.resolve("target/nss-image.json");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Object schema;
    try (InputStream in = dev.nss.container.PublishedImage.class.getResourceAsStream("nss-image.schema.json")) {
      schema = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Map<String, Object> record = Json.object(text);
    assertEquals(List.of(), MiniSchema.validate(schema, record), text);
    return record;
  }

  /** The goal's private login directory is gone, and the password is in no log and no file of the project. */
  private static void assertLoginLeftNothing(BuildLog log, String password) {
    Matcher m = LOGIN_DIR.matcher(log.stdout());
    assertTrue(m.find(), "the login ran with a private location:\n" + log.describe());
    assertFalse(Files.exists(Path.of(m.group(1))), m.group(1) + " is deleted");
    assertFalse(log.all().contains(password), "the password is in the log");
    for (Path home : List.of(Path.of(System.getProperty("user.home"), ".docker/config.json"),
        Path.of("/run/containers/0/auth.json"))) {
      try {
        assertFalse(Files.exists(home) && Files.readString(home).contains(registry.host()),
            home + " holds a login for the test registry");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** podman has its own image store: copy a docker image into it (docker save | podman load). */
  private static void loadIntoPodman(String image) throws Exception {
    if (Docker.ProcessResult.of(List.of("/usr/bin/podman", "image", "exists", image), Map.of()).exitCode() == 0) {
      return;
    }
    long start = System.nanoTime();
    Process save = new ProcessBuilder(Docker.CLI, "save", image).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Process load = new ProcessBuilder("/usr/bin/podman", "load").redirectErrorStream(true).start();
    try (InputStream in = save.getInputStream(); var out = load.getOutputStream()) {
      in.transferTo(out);
    }
    String said = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, save.waitFor(), "docker save " + image);
    assertEquals(0, load.waitFor(), "podman load: " + said);
    pulled.add(image);
    note("docker save | podman load of " + image + ": " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }
}
