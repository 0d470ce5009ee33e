package dev.nss.container;

import static dev.nss.container.Fixture.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.Json;
import dev.nss.doctor.MiniSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * push-gpu and build-gpu-multiarch: exact argv per engine and path, the login's confinement, the
 * record.
 */
class PublishTest {

  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final String LIST_DIGEST = "sha256:" + "cd".repeat(32);

  /** Writes DIGEST to the file after --digestfile (podman). */
  static final String WRITE_DIGESTFILE =
      "while [ $# -gt 0 ]; do [ \"$1\" = --digestfile ] && printf '%s\\n' '"
          + DIGEST
          + "' > \"$2\"; shift; done; echo pushed";

  static final String INSPECT =
      "echo '[{\"Id\": \"sha256:0123\", \"Os\": \"linux\", \"Architecture\": \"amd64\", "
          + "\"Config\": {\"Labels\": {\"org.opencontainers.image.version\": \"1.2.3\", "
          + "\"org.opencontainers.image.revision\": \""
          + "f".repeat(40)
          + "\"}}}]'";

  @TempDir Path tmp;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(tmp);
    f.answered(
        "docker", "/usr/bin/docker", "podman"); // the question before a build: EngineQuestionTest
  }

  /**
   * The calls with each private session path replaced by SESSION, so that argv can be compared
   * exactly.
   */
  private List<List<String>> calls() {
    List<List<String>> out = new ArrayList<>();
    for (List<String> call : f.processes.calls) {
      out.add(
          call.stream().map(a -> a.replaceAll(".*/nss-registry-[^/]+/\\d+-", "SESSION/")).toList());
    }
    return out;
  }

  private Map<?, ?> record() throws IOException {
    String json = Files.readString(f.project.resolve("target/nss-image.json"));
    Object parsed = Json.parse(json);
    assertEquals(List.of(), MiniSchema.validate(schema(), parsed), json);
    return (Map<?, ?>) parsed;
  }

  static Object schema() throws IOException {
    try (InputStream in = PublishedImage.class.getResourceAsStream("nss-image.schema.json")) {
      return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void pushTagsAndPushesEveryDefaultTagWithDocker() throws Exception {
    f.processes
        .on("image", INSPECT)
        .on(
            "push",
            "echo 'The push refers to repository'; echo \"${1#*:}: digest: "
                + DIGEST.replace("ab", "00")
                + " size: 1\"; echo \"x: digest: "
                + DIGEST
                + " size: 734\"");
    String sha = "0123456789abcdef0123456789abcdef01234567";
    Files.createDirectories(f.project.resolve(".git/refs/heads"));
    Files.writeString(f.project.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(f.project.resolve(".git/refs/heads/main"), sha + "\n");
    f.goals()
        .push(
            f.settings()
                .registry("127.0.0.1:5000/team")
                .image("nss-gpu:local")
                .projectVersion("1.2.3"),
            false,
            null);
    String repo = "127.0.0.1:5000/team/nss-gpu";
    assertEquals(
        List.of(
            argv("docker", "image", "inspect", "nss-gpu:local"),
            argv("docker", "tag", "nss-gpu:local", repo + ":latest"),
            argv("docker", "push", repo + ":latest"),
            argv("docker", "tag", "nss-gpu:local", repo + ":1.2.3"),
            argv("docker", "push", repo + ":1.2.3"),
            argv("docker", "tag", "nss-gpu:local", repo + ":sha-0123456789ab"),
            argv("docker", "push", repo + ":sha-0123456789ab")),
        f.processes.calls);
    assertTrue(
        f.log.contains(
            "Pushed "
                + repo
                + "@"
                + DIGEST
                + " (tags: latest, 1.2.3, sha-0123456789ab; "
                + "platforms: linux/amd64)"),
        f.log.toString());
    Map<?, ?> record = record();
    assertEquals(repo + "@" + DIGEST, record.get("reference"));
    assertEquals(List.of("latest", "1.2.3", "sha-0123456789ab"), record.get("tags"));
    assertEquals(List.of("linux/amd64"), record.get("platforms"));
    assertEquals("f".repeat(40), record.get("revision"), "the revision label of the pushed image");
    assertFalse(
        f.log.stream().anyMatch(l -> l.contains("DOCKER_CONFIG")), "no login, no private config");
  }

  @Test
  void pushWithPodmanWritesTheDigestFileAndSkipsTlsOnlyWhenInsecure() throws Exception {
    f.processes.on("image", INSPECT).on("push", WRITE_DIGESTFILE);
    GoalSettings s =
        f.settings()
            .cli("podman")
            .registry("127.0.0.1:5000")
            .tags("a,b")
            .tagVariant("cu129")
            .registryInsecure(true);
    f.goals().push(s, true, null);
    assertEquals(
        List.of(
            argv("podman", "image", "inspect", "nss-gpu-dev:latest"),
            argv(
                "podman",
                "push",
                "--format",
                "v2s2",
                "--tls-verify=false",
                "--digestfile",
                "SESSION/digest",
                "nss-gpu-dev:latest",
                "127.0.0.1:5000/nss-gpu-dev:a-cu129"),
            argv(
                "podman",
                "push",
                "--format",
                "v2s2",
                "--tls-verify=false",
                "--digestfile",
                "SESSION/digest",
                "nss-gpu-dev:latest",
                "127.0.0.1:5000/nss-gpu-dev:b-cu129")),
        calls());
    assertEquals(DIGEST, record().get("digest"));

    f.processes.calls.clear();
    f.goals().push(s.registryInsecure(false), true, null);
    assertFalse(
        f.processes.calls.toString().contains("--tls-verify"), f.processes.calls.toString());
  }

  @Test
  void loginIsConfinedToAPrivateDirectoryThatIsGoneAfterwards() throws Exception {
    Path stdin = tmp.resolve("stdin");
    Path seen = tmp.resolve("config-seen");
    f.processes
        .on("image", INSPECT)
        .on(
            "login",
            "cat > '"
                + stdin
                + "'; cp \"$DOCKER_CONFIG/config.json\" '"
                + seen
                + "'; echo Login Succeeded")
        .on("push", "echo \"latest: digest: " + DIGEST + " size: 1\"");
    f.goals()
        .push(
            f.settings().registry("registry.example/acme").tags("latest"),
            false,
            new RegistryCredentials("acme-registry", "bot", "pa55-s3cr3t"));
    assertEquals(
        List.of(
            argv("docker", "image", "inspect", "nss-gpu:latest"),
            argv("docker", "login", "--username", "bot", "--password-stdin", "registry.example"),
            argv("docker", "tag", "nss-gpu:latest", "registry.example/acme/nss-gpu:latest"),
            argv("docker", "push", "registry.example/acme/nss-gpu:latest"),
            argv("docker", "logout", "registry.example")),
        f.processes.calls);
    assertEquals("pa55-s3cr3t", Files.readString(stdin));
    String config = f.processes.builders.get(1).environment().get("DOCKER_CONFIG");
    assertTrue(config.matches(".*/nss-registry-[^/]+"), config);
    for (int i = 1; i < 5; i++) {
      assertEquals(
          config, f.processes.builders.get(i).environment().get("DOCKER_CONFIG"), "call " + i);
    }
    assertEquals(
        null,
        f.processes.builders.get(0).environment().get("DOCKER_CONFIG"),
        "inspect: the user's config");
    assertTrue(
        Files.readString(seen).contains("nss.invalid"), "no system credential helper is chosen");
    assertFalse(Files.exists(Path.of(config)), "the private config is deleted");
    assertTrue(
        f.log.stream().anyMatch(l -> l.startsWith("DOCKER_CONFIG=" + config + " docker login ")),
        f.log.toString());
    assertTrue(f.log.contains("Login Succeeded"), "what the login printed is logged");
    assertFalse(String.join("\n", f.log).contains("s3cr3t"));
  }

  /** A buildx installed for the user stays usable under the private config of Maven's user. */
  @Test
  void loginLinksThePluginsOfTheDockerConfigInMavensEnvironment() throws Exception {
    Path userConfig = Files.createDirectories(tmp.resolve("user-docker/cli-plugins")).getParent();
    Path seen = tmp.resolve("plugins-seen");
    f.processes
        .on("image", INSPECT)
        .on("login", "cat > /dev/null; readlink \"$DOCKER_CONFIG/cli-plugins\" > '" + seen + "'")
        .on("push", "echo \"latest: digest: " + DIGEST + " size: 1\"");
    f.goals()
        .push(
            f.settings()
                .registry("registry.example/acme")
                .tags("latest")
                .environment(Map.of("DOCKER_CONFIG", userConfig.toString())),
            false,
            new RegistryCredentials("acme-registry", "bot", "pw"));
    assertEquals(userConfig.resolve("cli-plugins").toString(), Files.readString(seen).strip());
  }

  @Test
  void podmanLoginUsesAPrivateAuthFile() throws Exception {
    f.processes
        .on("image", INSPECT)
        .on("push", WRITE_DIGESTFILE)
        .on("login", "cat > /dev/null; echo '{}' > \"$REGISTRY_AUTH_FILE\"");
    f.goals()
        .push(
            f.settings().cli("podman").registry("127.0.0.1:5000").tags("t").registryInsecure(true),
            false,
            new RegistryCredentials("local", "bot", "pw"));
    assertEquals(
        argv(
            "podman",
            "login",
            "--tls-verify=false",
            "--username",
            "bot",
            "--password-stdin",
            "127.0.0.1:5000"),
        f.processes.calls.get(1));
    String authFile = f.processes.builders.get(1).environment().get("REGISTRY_AUTH_FILE");
    assertTrue(authFile.matches(".*/nss-registry-[^/]+/auth.json"), authFile);
    assertEquals(authFile, f.processes.builders.get(2).environment().get("REGISTRY_AUTH_FILE"));
    assertFalse(Files.exists(Path.of(authFile).getParent()), "deleted with its directory");
  }

  @Test
  void aRefusedLoginToADockerHubNamespaceNamesTheDefaultRegistry() throws Exception {
    f.processes.on("image", INSPECT).on("login", "cat > /dev/null; exit 1");
    CommandFailedException e =
        pushFails(f.settings().registry("acme"), new RegistryCredentials("hub", "bot", "pw"));
    assertTrue(
        e.getMessage().startsWith("Login to the default registry as 'bot' "), e.getMessage());
    assertEquals(
        List.of(argv("docker", "login", "--username", "bot", "--password-stdin")),
        f.processes.verbs("login"));
  }

  /** A tag that already pointed elsewhere in the registry cannot change what was recorded. */
  @Test
  void tagsThatGetDifferentDigestsAreWarnedAboutAndTheFirstIsRecorded() throws Exception {
    String other = DIGEST.replace("ab", "ef");
    f.processes
        .on("image", INSPECT)
        .on(
            "push",
            "case \"$2\" in *:latest) d="
                + DIGEST
                + " ;; *) d="
                + other
                + " ;; esac; echo \"${2#*:}: digest: $d size: 1\"");
    f.goals().push(f.settings().registry("127.0.0.1:5000/team").tags("latest,1.0"), false, null);
    String repo = "127.0.0.1:5000/team/nss-gpu";
    assertTrue(
        f.log.contains(
            "[WARNING] "
                + repo
                + ":1.0 got digest "
                + other
                + ", the tags before it "
                + DIGEST
                + "; recording "
                + DIGEST),
        f.log.toString());
    assertEquals(repo + "@" + DIGEST, record().get("reference"));
  }

  @Test
  void podmansMissingImageSaysBuildFirst() {
    f.processes.on(
        "image", "echo 'Error: inspecting object: nss-gpu:latest: image not known' >&2; exit 125");
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> f.goals().push(f.settings().cli("podman").registry("r.example"), false, null));
    assertEquals(
        "nss.image: there is no local image 'nss-gpu:latest' to push. Build it first in the same"
            + " run: mvn nss:build-gpu nss:push-gpu, or set -Dnss.image to an image that exists.",
        e.getMessage());
  }

  @Test
  void thePlatformRecordedNamesTheImagesVariant() throws Exception {
    for (String variant : List.of("v8", " ")) {
      f.processes
          .on(
              "image",
              "echo '[{\"Id\": \"sha256:0123\", \"Os\": \"linux\", \"Architecture\":"
                  + " \"arm64\", \"Variant\": \""
                  + variant
                  + "\"}]'")
          .on("push", "echo \"latest: digest: " + DIGEST + " size: 1\"");
      f.goals().push(f.settings().registry("r.example").tags("latest"), false, null);
      assertEquals(
          List.of(variant.isBlank() ? "linux/arm64" : "linux/arm64/v8"), record().get("platforms"));
    }
  }

  @Test
  void refusedLoginNamesTheServerIdAndPushesNothing() throws Exception {
    f.processes
        .on("image", INSPECT)
        .on(
            "login",
            "cat > /dev/null; echo 'Error response from daemon: login attempt to http://127.0.0.1:5000/v2/ failed with "
                + "status: 401 Unauthorized' >&2; exit 1");
    CommandFailedException e =
        pushFails(
            f.settings().registry("127.0.0.1:5000"),
            new RegistryCredentials("my-registry", "bot", "wrong-pw-s3cr3t"));
    assertTrue(e.getMessage().startsWith("Login to 127.0.0.1:5000 as 'bot' "), e.getMessage());
    assertTrue(e.getMessage().contains("settings.xml server 'my-registry'"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing was pushed"), e.getMessage());
    assertTrue(e.getMessage().contains("401 Unauthorized"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3t"));
    assertEquals(List.of(), f.processes.verbs("push"));
    assertEquals(List.of(), f.processes.verbs("tag"));
  }

  @Test
  void multiArchWithBuildxPushesEveryTagAndReadsTheMetadataFile() throws Exception {
    f.processes.on(
        "buildx",
        "[ \"$2\" = version ] && exit 0; while [ $# -gt 0 ]; do [ \"$1\" = --metadata-file ] "
            + "&& printf '{\"containerimage.digest\": \"%s\"}' '"
            + LIST_DIGEST
            + "' > \"$2\"; shift; done");
    GoalSettings s =
        f.settings()
            .registry("registry.example/acme/")
            .image("safe:1")
            .tags("1,latest")
            .platforms("linux/amd64, linux/arm64/v8")
            .builder("k8s")
            .cacheFrom(List.of("registry.example/acme/safe:cache"))
            .cacheTo(List.of("registry.example/acme/safe:cache"))
            .uvVersion("0.9.14")
            .projectVersion("3");
    f.goals().buildMultiArch(s, null);
    assertEquals(
        List.of(
            argv("docker", "buildx", "version"),
            argv(
                "docker",
                "buildx",
                "build",
                "--builder",
                "k8s",
                "--platform",
                "linux/amd64,linux/arm64/v8",
                "--tag",
                "registry.example/acme/safe:1",
                "--tag",
                "registry.example/acme/safe:latest",
                "--target",
                "runtime",
                "--progress=plain",
                "--push",
                "--metadata-file",
                "SESSION/metadata.json",
                "--cache-from",
                "type=registry,ref=registry.example/acme/safe:cache",
                "--cache-to",
                "type=registry,ref=registry.example/acme/safe:cache,mode=max",
                "--build-arg",
                "UV_VERSION=0.9.14",
                "--label",
                "org.opencontainers.image.version=3",
                "-f",
                "containers/Dockerfile.cuda",
                ".")),
        calls());
    Map<?, ?> record = record();
    assertEquals("registry.example/acme/safe@" + LIST_DIGEST, record.get("reference"));
    assertEquals(List.of("linux/amd64", "linux/arm64/v8"), record.get("platforms"));
    assertEquals("3", record.get("version"));
  }

  @Test
  void multiArchWithoutBuildxBuildsEachPlatformAndPushesAManifestList() throws Exception {
    f.processes
        .on("buildx", "echo \"docker: 'buildx' is not a docker command.\" >&2; exit 1")
        .on("push", "echo \"${1#*:}: digest: " + DIGEST + " size: 943\"")
        .on(
            "manifest",
            "[ \"$2\" = push ] && echo 'Pushed ref' && echo '" + LIST_DIGEST + "'; true");
    GoalSettings s =
        f.settings().registry("127.0.0.1:5000/ns").tags("latest,9").registryInsecure(true);
    f.goals().buildMultiArch(s, null);
    String repo = "127.0.0.1:5000/ns/nss-gpu";
    List<String> images = List.of(repo + ":latest-linux-amd64", repo + ":latest-linux-arm64");
    List<List<String>> expected =
        new ArrayList<>(
            List.of(
                argv("docker", "buildx", "version"),
                argv(
                    "docker",
                    "build",
                    "--platform",
                    "linux/amd64",
                    "--tag",
                    images.get(0),
                    "--target",
                    "runtime",
                    "--progress=plain",
                    "-f",
                    "containers/Dockerfile.cuda",
                    "."),
                argv(
                    "docker",
                    "build",
                    "--platform",
                    "linux/arm64",
                    "--tag",
                    images.get(1),
                    "--target",
                    "runtime",
                    "--progress=plain",
                    "-f",
                    "containers/Dockerfile.cuda",
                    "."),
                argv("docker", "push", images.get(0)),
                argv("docker", "push", images.get(1))));
    for (String tag : List.of("latest", "9")) {
      expected.add(argv("docker", "manifest", "rm", repo + ":" + tag));
      expected.add(
          argv(
              "docker",
              "manifest",
              "create",
              "--insecure",
              repo + ":" + tag,
              images.get(0),
              images.get(1)));
      expected.add(argv("docker", "manifest", "push", "--insecure", "--purge", repo + ":" + tag));
    }
    assertEquals(expected, f.processes.calls);
    assertEquals(
        "enabled", f.processes.builders.get(6).environment().get("DOCKER_CLI_EXPERIMENTAL"));
    assertEquals(repo + "@" + LIST_DIGEST, record().get("reference"));
    assertFalse(Files.exists(f.project.resolve(".nss-build")), "staging cleaned up");
  }

  @Test
  void dockersManifestCommandsTrustALoopbackRegistryAsItsDaemonDoes() throws Exception {
    f.processes
        .on("buildx", "exit 1")
        .on("push", "echo \"${1#*:}: digest: " + DIGEST + " size: 943\"")
        .on(
            "manifest",
            "[ \"$2\" = push ] && echo 'Pushed ref' && echo '" + LIST_DIGEST + "'; true");
    f.goals().buildMultiArch(f.settings().registry("127.0.0.1:5000").tags("t"), null);
    assertEquals(
        List.of(
            argv("docker", "manifest", "rm", "127.0.0.1:5000/nss-gpu:t"),
            argv(
                "docker",
                "manifest",
                "create",
                "--insecure",
                "127.0.0.1:5000/nss-gpu:t",
                "127.0.0.1:5000/nss-gpu:t-linux-amd64",
                "127.0.0.1:5000/nss-gpu:t-linux-arm64"),
            argv(
                "docker", "manifest", "push", "--insecure", "--purge", "127.0.0.1:5000/nss-gpu:t")),
        f.processes.verbs("manifest"));

    f.processes.calls.clear();
    f.goals().buildMultiArch(f.settings().registry("registry.example:5000").tags("t"), null);
    assertFalse(
        f.processes.verbs("manifest").toString().contains("--insecure"),
        "a registry elsewhere needs nss.registryInsecure: " + f.processes.verbs("manifest"));
  }

  @Test
  void multiArchWithPodmanBuildsOneManifestListAndPushesItAll() throws Exception {
    f.processes.on("manifest", WRITE_DIGESTFILE);
    f.goals()
        .buildMultiArch(
            f.settings().cli("podman").registry("127.0.0.1:5000").tags("x").registryInsecure(true),
            null);
    String list = "127.0.0.1:5000/nss-gpu:x";
    assertEquals(
        List.of(
            argv("podman", "manifest", "rm", list),
            argv(
                "podman",
                "build",
                "--platform",
                "linux/amd64,linux/arm64",
                "--manifest",
                list,
                "--target",
                "runtime",
                "-f",
                "containers/Dockerfile.cuda",
                "."),
            argv(
                "podman",
                "manifest",
                "push",
                "--all",
                "--format",
                "v2s2",
                "--tls-verify=false",
                "--digestfile",
                "SESSION/digest",
                list,
                "docker://" + list),
            argv("podman", "manifest", "rm", list)),
        calls());
    assertEquals(DIGEST, record().get("digest"));
  }

  @Test
  void dryRunPrintsThePlanAndWritesNothing() throws Exception {
    f.dryRun = true;
    f.goals()
        .push(
            f.settings().registry("127.0.0.1:5000").tags("t"),
            false,
            new RegistryCredentials("id", "bot", "s3cr3t"));
    assertEquals(List.of(), f.processes.calls);
    assertTrue(
        f.log.stream().anyMatch(l -> l.matches("\\[dry-run\\] DOCKER_CONFIG=.* docker login .*")),
        f.log.toString());
    assertTrue(
        f.log.contains(
            "[dry-run] DOCKER_CONFIG="
                + f.log.get(1).split("[= ]")[2]
                + " docker push 127.0.0.1:5000/nss-gpu:t"),
        f.log.toString());
    assertFalse(Files.exists(f.project.resolve("target/nss-image.json")));
  }

  @Test
  void podmanBuildsGetTheirLabelsAgainThroughAOneStepBuild() throws Exception {
    Path seen = tmp.resolve("containerfile-seen");
    f.processes.on(
        "build",
        "while [ $# -gt 0 ]; do [ \"$1\" = -f ] && case \"$2\" in *Containerfile) cp \"$2\" '"
            + seen
            + "';; esac; shift; done");
    f.goals().buildGpu(f.settings().cli("podman").projectVersion("7"), false);
    assertEquals(2, f.processes.calls.size(), f.processes.calls.toString());
    List<String> relabel = f.processes.calls.get(1);
    Path dir = Path.of(relabel.get(relabel.size() - 1));
    assertEquals(
        argv(
            "podman",
            "build",
            "--platform",
            "linux/amd64",
            "--tag",
            "nss-gpu:latest",
            "--label",
            "org.opencontainers.image.version=7",
            "-f",
            dir.resolve("Containerfile").toString(),
            dir.toString()),
        relabel);
    assertEquals("FROM nss-gpu:latest\n", Files.readString(seen));
    assertFalse(Files.exists(dir), "the relabelling directory is removed");

    f.processes.calls.clear();
    f.goals().buildGpu(f.settings().projectVersion("7"), false);
    assertEquals(
        1,
        f.processes.calls.size(),
        "docker applies --label to the exported image: " + f.processes.calls);
  }

  /** {@code nss:push-gpu} with {@code settings} and {@code credentials}, which must fail. */
  private CommandFailedException pushFails(GoalSettings settings, RegistryCredentials credentials) {
    return assertThrows(
        CommandFailedException.class, () -> f.goals().push(settings, false, credentials));
  }
}
