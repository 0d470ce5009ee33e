package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.BuildLog;
import dev.nss.it.MavenBuild;
import dev.nss.it.SampleProject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, secrets: HF_TOKEN, HUGGING_FACE_HUB_TOKEN, NSS_INFERENCE_KEY in Maven's environment and
 * a registry password in settings.xml, every goal with -X. The values must be absent from the Maven
 * log, from every process's argv (sampled from /proc while the goals run), from the image built
 * with them in the environment (inspect, history, and every byte of every layer through docker
 * save), from the agent's JSON report, and (issue 10: push-gpu logs in to a real registry with the
 * password) from every file the goals leave in the project, with the goal's login directory gone.
 * RunGpuIT.secretsAreNeitherInArgvNorInTheLog covers run-gpu's log; this row covers every goal and
 * the other places.
 */
class SecretsIT {

  private static final String SERVER = "rel-registry";

  @Test
  void secretValuesAppearNowhere() throws Exception {
    String suffix = Long.toHexString(System.nanoTime());
    Map<String, String> secrets =
        Map.of(
            "HF_TOKEN", "hf_relSecret" + suffix,
            "HUGGING_FACE_HUB_TOKEN", "hub-rel-secret-" + suffix,
            "NSS_INFERENCE_KEY", "nss-rel-inference-" + suffix);
    String password = "rel-registry-pw-" + suffix;
    List<String> values = new ArrayList<>(secrets.values());
    values.add(password);

    SampleProject project = Rel.project("secrets");
    Path settings = project.dir().resolve("rel-settings.xml");
    Rel.write(
        settings,
        """
        <settings>
          <servers>
            <server><id>%s</id><username>rel-user</username><password>%s</password></server>
          </servers>
        </settings>
        """
            .formatted(SERVER, password));
    Path out = Files.createDirectories(project.dir().resolve("rel-out"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    String image = RelImage.remember("nss-it/rel:secrets-" + suffix);
    RelImage.standIns();

    // Real: build (with the secrets in its environment), run (the agent writes its report), help,
    // init, doctor.
    MavenBuild real =
        project
            .maven("nss:build-gpu", "nss:run-gpu", "nss:help", "nss:init", "nss:doctor")
            .property("nss.image", image)
            .property("nss.gpuFlag", "")
            .property("nss.skipBuild", "true")
            .property("nss.cmd", "generate --sleep=3")
            .property("nss.force", "true")
            .property("nss.doctor.failOn", "never")
            .property("detail", "true")
            .property(
                "nss.extraMounts",
                "-e NSS_PREFLIGHT_REPORT=/rel-out/report.json --mount type=bind,source="
                    + out
                    + ",target=/rel-out");
    // Dry runs of the goals that need GPUs, a registry or buildx here; multi-arch logs in with the
    // settings password.
    MavenBuild dry =
        project
            .maven(
                "nss:build-gpu-dev",
                "nss:build-gpu-multiarch",
                "nss:run-gpu-dev",
                "nss:build-test",
                "nss:test-ci")
            .property("nss.dryRun", "true")
            .property("nss.imageDev", image + "-dev")
            .property("nss.registry", "localhost:5000/nss-rel")
            .property("nss.registryServerId", SERVER);
    // Real login and push to a registry that wants exactly this password.
    String pushed = RelImage.remember("nss-it/rel:secrets-push-" + suffix);
    assertEquals(0, Rel.docker("tag", "nss-it.local/uv:0.9.14", pushed).exitCode());
    dev.nss.it.Registry registry = dev.nss.it.Registry.start("rel-user", password);
    MavenBuild push =
        project
            .maven("nss:push-gpu")
            .property("nss.image", pushed)
            .property("nss.registry", registry.host() + "/rel")
            .property("nss.registryServerId", SERVER)
            .property("nss.registryInsecure", "true");
    samplerFindsAValueInArgv(values.get(0));
    List<String> logs = new ArrayList<>();
    int samples = 0;
    int processesSeen = 0;
    try {
      for (MavenBuild maven : List.of(real, dry, push)) {
        maven.debug().settings(settings);
        secrets.forEach(maven::env);
        ArgvSampler sampler = new ArgvSampler(values);
        sampler.start();
        BuildLog run;
        try {
          run = maven.run();
        } finally {
          sampler.stop();
        }
        logs.add(run.all());
        assertTrue(run.succeeded(), run::describe);
        assertTrue(run.stdout().contains("[DEBUG]"), "-X");
        assertEquals(List.of(), sampler.leaks(), "secret values in the argv of these processes");
        samples += sampler.samples.get();
        processesSeen += sampler.pids.size();
        if (maven == real) {
          assertTrue(
              sampler.sawDockerRun.get(), "the sampler saw the `docker run` client while it ran");
          assertEquals(
              Boolean.TRUE,
              run.report().get("hf_token_set"),
              "the token reached the program by name");
          assertTrue(run.stdout().contains("-e HF_TOKEN"), run::describe);
        } else {
          assertTrue(
              run.stdout().contains("--password-stdin"),
              "the login goes through stdin:\n" + run.describe());
        }
        if (maven == push) {
          java.util.regex.Matcher loginDir =
              java.util.regex.Pattern.compile("DOCKER_CONFIG=(\\S*nss-registry-\\w+)")
                  .matcher(run.stdout());
          assertTrue(loginDir.find(), run::describe);
          assertFalse(
              Files.exists(Path.of(loginDir.group(1))), "the goal's login directory is deleted");
          assertTrue(
              run.stdout().contains("Pushed " + registry.host() + "/rel/nss-it/rel@sha256:"),
              run::describe);
          String record =
              Files.readString(
                  project.dir().resolve("target/nss-image.json"), StandardCharsets.UTF_8);
          for (Object tag : (List<?>) dev.nss.it.Json.object(record).get("tags")) {
            RelImage.remember(
                registry.host() + "/rel/nss-it/rel:" + tag); // the local tags docker push-gpu made
          }
        }
      }
    } finally {
      registry.close();
    }
    try (Stream<Path> files = Files.walk(project.dir())) {
      for (Path file :
          files.filter(Files::isRegularFile).filter(f -> !f.equals(settings)).toList()) {
        assertFalse(
            indexOf(Files.readAllBytes(file), password.getBytes(StandardCharsets.UTF_8)) >= 0,
            "the registry password is in " + file);
      }
    }
    for (String log : logs) {
      assertNoSecret(values, log, "the -X Maven log");
    }

    Path report = out.resolve("report.json");
    assertTrue(Files.isRegularFile(report), "the agent wrote NSS_PREFLIGHT_REPORT");
    String reportText = Files.readString(report, StandardCharsets.UTF_8);
    assertTrue(
        reportText.matches("(?s).*\\{\"id\": \"hf-token\", \"level\": \"OK\".*"),
        "the agent saw a token and says only that:\n" + reportText);
    assertNoSecret(values, reportText, "the agent's JSON report");
    Path doctorReport = project.dir().resolve("target/nss-doctor.json");
    assertTrue(Files.isRegularFile(doctorReport), "the doctor wrote its report");
    assertNoSecret(
        values, Files.readString(doctorReport, StandardCharsets.UTF_8), "the doctor's JSON report");

    Rel.Result inspect = Rel.docker("image", "inspect", image);
    assertEquals(0, inspect.exitCode(), inspect::describe);
    assertNoSecret(values, inspect.out(), "docker image inspect");
    Rel.Result history =
        Rel.docker("history", "--no-trunc", "--format", "{{.CreatedBy}} {{.Comment}}", image);
    assertEquals(0, history.exitCode(), history::describe);
    assertNoSecret(values, history.out(), "docker history --no-trunc (RUN lines and build args)");
    long scanned = scanSavedImage(image, values);
    Timings.note(
        "secrets: "
            + values.size()
            + " values, 11 goals with -X, "
            + samples
            + " /proc samples over "
            + processesSeen
            + " processes, "
            + (scanned >> 20)
            + " MiB of saved image layers scanned");
  }

  /** Positive control: the sampler does see a value put in a process's argv. */
  static void samplerFindsAValueInArgv(String value) throws Exception {
    ArgvSampler sampler = new ArgvSampler(List.of(value));
    sampler.start();
    Rel.Result r = Rel.exec(List.of("sh", "-c", "sleep 0.5", value), Map.of());
    sampler.stop();
    assertEquals(0, r.exitCode(), r::describe);
    assertEquals(1, sampler.leaks().size(), "the sampler must catch `sh -c 'sleep 0.5' VALUE`");
  }

  static void assertNoSecret(List<String> values, String text, String where) {
    for (String v : values) {
      assertFalse(text.contains(v), "a secret value is in " + where);
    }
  }

  /**
   * Streams {@code docker save} (every layer and config) and looks for each value's bytes; returns
   * bytes scanned.
   */
  static long scanSavedImage(String image, List<String> values)
      throws IOException, InterruptedException {
    Process save =
        new ProcessBuilder(Rel.DOCKER, "save", image)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<byte[]> needles = values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
    int keep = needles.stream().mapToInt(n -> n.length).max().orElse(0);
    long total = 0;
    byte[] carry = new byte[0];
    try (InputStream in = save.getInputStream()) {
      byte[] buf = new byte[1 << 20];
      int n;
      while ((n = in.read(buf)) > 0) {
        byte[] window = new byte[carry.length + n];
        System.arraycopy(carry, 0, window, 0, carry.length);
        System.arraycopy(buf, 0, window, carry.length, n);
        for (byte[] needle : needles) {
          assertFalse(
              indexOf(window, needle) >= 0, "a secret value is in a layer of the saved image");
        }
        int c = Math.min(keep, window.length);
        carry = java.util.Arrays.copyOfRange(window, window.length - c, window.length);
        total += n;
      }
    }
    assertEquals(0, save.waitFor(), "docker save");
    assertTrue(total > 1 << 20, "docker save produced the image");
    return total;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Reads /proc/[pid]/cmdline of every process every few milliseconds while the goals run. */
  static final class ArgvSampler {
    private final List<byte[]> needles;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger samples = new AtomicInteger();
    final AtomicBoolean sawDockerRun = new AtomicBoolean();
    final Set<String> pids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<String> leaks = java.util.Collections.synchronizedList(new ArrayList<>());
    private Thread thread;

    ArgvSampler(List<String> values) {
      this.needles = values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
    }

    void start() {
      thread =
          new Thread(
              () -> {
                while (running.get()) {
                  sampleOnce();
                  samples.incrementAndGet();
                  Rel.sleep(5);
                }
              },
              "argv-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    List<String> leaks() {
      return new ArrayList<>(new HashSet<>(leaks));
    }

    private void sampleOnce() {
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
          byte[] cmdline;
          try {
            cmdline = Files.readAllBytes(p.resolve("cmdline"));
          } catch (IOException gone) {
            continue;
          }
          if (cmdline.length == 0) {
            continue;
          }
          pids.add(p.getFileName().toString());
          String text = new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ');
          if (text.contains("docker create --rm --name nss-run-")) {
            sawDockerRun.set(true);
          }
          for (byte[] needle : needles) {
            if (indexOf(cmdline, needle) >= 0) {
              leaks.add(text.length() > 200 ? text.substring(0, 200) : text);
            }
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
