package dev.nss.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.it.SampleProject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, image security of the runtime image: it runs as uid 1000, which can write only under
 * /workspace, its home and the world-writable sticky scratch directories every Debian root has; and
 * it carries no setuid/setgid file its base does not. Secrets in layers: SecretsIT (docker history
 * --no-trunc, inspect, and every byte of docker save).
 */
class ImageSecurityIT {

  /**
   * Sticky, world-writable scratch directories of the base root (mode 1777), not something we add.
   */
  static final Set<String> SCRATCH =
      Set.of("/tmp", "/var/tmp", "/var/lock", "/run/lock", "/dev/shm", "/dev/mqueue");

  @Test
  void runtimeUserIsUid1000AndWritesOnlyWhereItShould() {
    String image = RelImage.runtime();
    Rel.Result id = Rel.docker("run", "--rm", "--entrypoint", "id", image);
    assertEquals(0, id.exitCode(), id::describe);
    assertTrue(id.out().startsWith("uid=1000(appuser) gid=1000(appgroup)"), id.out());

    Rel.Result find =
        Rel.docker(
            "run",
            "--rm",
            "--entrypoint",
            "/bin/sh",
            image,
            "-c",
            "find / -xdev \\( -path /proc -o -path /sys \\) -prune -o -writable -print 2>/dev/null");
    List<String> outside =
        find.out()
            .lines()
            .filter(p -> !p.equals("/workspace") && !p.startsWith("/workspace/"))
            .filter(p -> !p.equals("/home/appuser") && !p.startsWith("/home/appuser/"))
            .filter(p -> !SCRATCH.contains(p))
            .toList();
    assertEquals(List.of(), outside, "paths uid 1000 can write outside /workspace and its home");
    assertTrue(find.out().lines().anyMatch("/workspace"::equals), "uid 1000 can write /workspace");
    assertTrue(find.out().lines().anyMatch("/home/appuser"::equals), "uid 1000 can write its home");

    // And by trying: every write outside fails, the two inside succeed.
    String script =
        "for d in / /etc /usr/bin /usr/local/bin /opt/venv/bin /opt/python /opt/nss-entrypoint/bin "
            + "/opt/nss-entrypoint/lib /root /var/lib; do touch \"$d/.rel-w\" 2>/dev/null && echo \"WROTE $d\"; done; "
            + "touch /workspace/.rel-w /home/appuser/.rel-w && echo INSIDE-OK";
    Rel.Result tries = Rel.docker("run", "--rm", "--entrypoint", "/bin/sh", image, "-c", script);
    assertEquals("INSIDE-OK", tries.out().strip(), tries::describe);
    Timings.note(
        "image security: "
            + find.out().lines().count()
            + " writable paths for uid 1000, "
            + (find.out().lines().count() - outside.size())
            + " allowed; 10 protected directories refused writes");
  }

  @Test
  void noSetuidOrSetgidFileBeyondTheBase() {
    String image = RelImage.runtime();
    Set<String> runtime = setuidFiles(image);
    Set<String> base = setuidFiles(RelImage.STAND_IN_BASE);
    Set<String> added = new TreeSet<>(runtime);
    added.removeAll(base);
    assertEquals(Set.of(), added, "setuid/setgid files the image adds to its base");
    assertTrue(!base.isEmpty(), "the scan sees the base's own setuid files (e.g. /usr/bin/passwd)");
    Timings.note(
        "image security: "
            + runtime.size()
            + " setuid/setgid files in the runtime image, "
            + base.size()
            + " in its base, "
            + added.size()
            + " added");
  }

  /**
   * The dev stage copies the whole project ({@code COPY . /workspace}): a token in the HF cache
   * directory of the project, .env files, .netrc, or Maven's output must not reach the build
   * context. The context is listed by a throw-away build with the project's .dockerignore (the one
   * nss:init writes).
   */
  @Test
  void buildContextKeepsTokenFilesOut() throws Exception {
    RelImage.standIns();
    SampleProject project = Rel.project("context-secrets");
    Path dir = project.dir();
    Rel.write(dir.resolve(".hf_cache/token"), "hf_relContextSecret\n");
    Rel.write(dir.resolve("target/secret.txt"), "x\n");
    Rel.write(dir.resolve(".env"), "HF_TOKEN=hf_relDotEnv\n");
    Rel.write(dir.resolve(".env.local"), "HF_TOKEN=hf_relDotEnvLocal\n");
    Rel.write(dir.resolve(".netrc"), "machine example login u password p\n");
    Rel.write(
        dir.resolve("rel/Dockerfile.context"),
        """
        FROM %s
        COPY . /ctx
        RUN find /ctx -path /ctx/src -prune -o -print | sort
        """
            .formatted(RelImage.STAND_IN_BASE));
    String tag = RelImage.remember("nss-it/rel:context-" + Rel.RUN_ID);
    Rel.Result r =
        Rel.exec(
            List.of(
                Rel.DOCKER,
                "build",
                "--no-cache",
                "--progress=plain",
                "-t",
                tag,
                "-f",
                dir.resolve("rel/Dockerfile.context").toString(),
                dir.toString()),
            java.util.Map.of("DOCKER_BUILDKIT", "1"));
    assertEquals(0, r.exitCode(), r::describe);
    String listing = r.err() + r.out();
    assertTrue(listing.contains("/ctx/pom.xml"), "the listing shows the context:\n" + listing);
    assertFalse(
        listing.contains("/ctx/.hf_cache"),
        "the HF cache (and its token) is kept out:\n" + listing);
    assertFalse(listing.contains("/ctx/target"), "Maven's output is kept out:\n" + listing);
    assertFalse(listing.contains("/ctx/.env"), ".env files are kept out:\n" + listing);
    assertFalse(listing.contains("/ctx/.netrc"), ".netrc is kept out:\n" + listing);
    Timings.note(
        "image security: build context keeps .hf_cache/token, target/, .env, .env.local and .netrc out");
  }

  static Set<String> setuidFiles(String image) {
    Rel.Result r =
        Rel.docker(
            "run",
            "--rm",
            "--user",
            "0",
            "--entrypoint",
            "/bin/sh",
            image,
            "-c",
            "find / -xdev \\( -path /proc -o -path /sys \\) -prune -o -type f -perm /6000 -print 2>/dev/null");
    return new TreeSet<>(r.out().lines().toList());
  }
}
