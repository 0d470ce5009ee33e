package dev.nss.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The build context filter on the real engines: a project without containers/ and without a
 * .dockerignore of its own, holding {@code .env}, {@code .netrc} and a CI checkout token in {@code
 * .git/config}, builds the runtime, dev and test images with none of them inside (the bundled
 * filter beside the bundled Dockerfiles); once the project has its own .dockerignore, that file
 * decides, also over the bundled filter left by the earlier build.
 */
class ContextFilterIT {

  private static final String MARK = "NSS-IT-SECRET-";

  /** Lists, in the image, every secret file by name and every file under the copies holding one. */
  private static final String FIND =
      "find / -xdev \\( -name .env -o -name .netrc -o -name .git \\) -print 2>/dev/null;"
          + " grep -rlF "
          + MARK
          + " /workspace /build /opt/venv 2>/dev/null;"
          + " test -f /workspace/pyproject.toml && echo HAS-PYPROJECT;"
          + " test -f /workspace/.env && echo HAS-ENV; exit 0";

  @EngineTest
  void secretsOfAProjectWithoutItsOwnFilterReachNoImage(Engine engine) throws IOException {
    Fixtures fixtures = Fixtures.on(engine).standIns();
    SampleProject project = fixtures.withoutContainers("context-filter");
    Path dir = project.dir();
    project.gitInit();
    Files.writeString(
        dir.resolve(".git/config"),
        "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic " + MARK + "git\n",
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(dir.resolve(".env"), "HF_TOKEN=" + MARK + "env\n");
    Files.writeString(
        dir.resolve(".netrc"), "machine example.com login u password " + MARK + "netrc\n");
    String runtime = fixtures.gpuImage("filter-runtime");
    String dev = fixtures.gpuImage("filter-dev");
    String test = fixtures.image("nss-it/test:filter-" + Fixtures.RUN_ID);

    BuildLog build =
        project
            .maven("nss:build-gpu", "nss:build-gpu-dev", "nss:build-test")
            .property("nss.image", runtime)
            .property("nss.imageDev", dev)
            .property("nss.testImage", test)
            .run();
    assertTrue(build.succeeded(), build::describe);
    assertTrue(
        build.stdout().contains("with the bundled context filter beside them"), build::describe);
    assertFalse(build.stdout().contains("WARNING: no .dockerignore"), build::describe);
    assertFalse(build.all().contains(MARK), "no secret in Maven's log:\n" + build.describe());

    assertEquals("", listing(engine, runtime), "runtime image");
    assertEquals("HAS-PYPROJECT", listing(engine, dev), "dev image (COPY . /workspace)");
    assertEquals("HAS-PYPROJECT", listing(engine, test), "test image (COPY . /workspace)");

    // The project's own .dockerignore decides: it keeps .netrc and .git out, .env in.
    Files.writeString(dir.resolve(".dockerignore"), ".git\n.netrc\ntarget/\n");
    String ownTest = fixtures.image("nss-it/test:filter-own-" + Fixtures.RUN_ID);
    BuildLog own = project.maven("nss:build-test").property("nss.testImage", ownTest).run();
    assertTrue(own.succeeded(), own::describe);
    assertTrue(own.stdout().contains("with the project's context filter"), own::describe);
    assertFalse(
        Files.exists(dir.resolve("target/nss/containers/Dockerfile.test_ci.dockerignore")),
        "the bundled filter of the earlier build is gone");
    String listing = listing(engine, ownTest);
    assertTrue(listing.contains("HAS-ENV"), listing);
    assertFalse(listing.contains(".netrc") || listing.contains(".git"), listing);
  }

  /** A project with its own Dockerfiles and no filter is warned about (here in a dry run). */
  @EngineTest
  void ownDockerfilesWithoutAFilterAreWarnedAbout(Engine engine) throws IOException {
    SampleProject project = Fixtures.on(engine).withContainers("context-filter-warn");
    Files.delete(project.dir().resolve(".dockerignore"));
    BuildLog build = project.maven("nss:build-gpu-dev").property("nss.dryRun", "true").run();
    assertTrue(build.succeeded(), build::describe);
    assertTrue(
        build.stdout().contains("WARNING: no .dockerignore filters the build context"),
        build::describe);
  }

  private static String listing(Engine engine, String image) {
    ProcessResult r =
        engine.run("run", "--rm", "--user", "0:0", "--entrypoint", "/bin/sh", image, "-c", FIND);
    assertEquals(0, r.exitCode(), () -> image + ": " + r.stdout() + r.stderr());
    return String.join("\n", r.stdout().strip().lines().toList());
  }
}
