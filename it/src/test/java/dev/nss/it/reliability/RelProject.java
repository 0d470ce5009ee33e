package dev.nss.it.reliability;

import dev.nss.it.ItEnv;
import dev.nss.it.SamplePom;
import dev.nss.it.SampleProject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fresh copy of the sample uv project (it/src/it/safe-synthesizer) with the repository's containers/, under
 * target/it-work/reliability/&lt;case&gt;, and a generated pom using this reactor's plugin and the stand-in images.
 */
final class RelProject {

  private final Path dir;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final Map<String, String> buildArgs = new TreeMap<>(SamplePom.STAND_IN_BUILD_ARGS);
  private List<String> cmdList;
  private boolean preserveSpace;

  private RelProject(Path dir) {
    this.dir = dir;
  }

  static RelProject create(String caseName) {
    Rel.requireEngine();
    Path dir = Rel.work().resolve(caseName);
    SampleProject.delete(dir);
    SampleProject.copyTree(ItEnv.root().resolve("it/src/it/safe-synthesizer"), dir);
    SampleProject.copyTree(ItEnv.root().resolve("containers"), dir.resolve("containers"));
    try {
      Files.copy(ItEnv.root().resolve("containers/.dockerignore"), dir.resolve(".dockerignore"),
          StandardCopyOption.REPLACE_EXISTING);
      // The container runs as uid 1000 and the project is its /workspace: let it read (and, where a case needs, write).
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RelProject p = new RelProject(dir);
    p.properties.put("project.build.outputTimestamp", "2026-01-02T03:04:05Z");
    p.properties.put("nss.containerCli", Rel.DOCKER);
    p.properties.put("nss.entrypointBuild", "jvm");
    p.properties.put("nss.hfCache", dir.resolve("hf-cache").toString());
    return p.writePom();
  }

  RelProject property(String name, String value) {
    properties.put(name, value);
    return writePom();
  }

  RelProject buildArg(String name, String value) {
    buildArgs.put(name, value);
    return writePom();
  }

  /**
   * The plugin's {@code <cmd>} list; with {@code preserveSpace} each element carries {@code xml:space="preserve"}
   * (without it Maven trims each element's leading and trailing whitespace).
   */
  RelProject cmdList(List<String> args, boolean preserveSpace) {
    this.cmdList = List.copyOf(args);
    this.preserveSpace = preserveSpace;
    return writePom();
  }

  Path dir() {
    return dir;
  }

  /**
   * Copies the stand-in target it/src/test/resources/reliability/prog.py to rel/prog.py (so /workspace/rel/prog.py in
   * the container) and makes the agent exec it instead of safe-synthesizer, through {@code nss.extraMounts} raw flags.
   */
  RelProject useProg() {
    try {
      Path to = Files.createDirectories(dir.resolve("rel")).resolve("prog.py");
      Files.copy(Rel.resource("prog.py"), to, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return property("nss.extraMounts", "-e NSS_ENTRYPOINT_TARGET=/workspace/rel/prog.py");
  }

  /** {@code nss:run-gpu} of the prebuilt image without a GPU flag and without building. */
  RelMaven runGpu() {
    return maven("nss:run-gpu").property("nss.image", RelImage.runtime()).property("nss.skipBuild", "true")
        .property("nss.gpuFlag", "");
  }

  RelMaven maven(String... goals) {
    return new RelMaven(dir, goals);
  }

  private RelProject writePom() {
    StringBuilder cmd = new StringBuilder();
    if (cmdList != null) {
      cmd.append("          <cmd>\n");
      for (String a : cmdList) {
        cmd.append(preserveSpace ? "            <arg xml:space=\"preserve\">" : "            <arg>")
            .append(SamplePom.xml(a)).append("</arg>\n");
      }
      cmd.append("          </cmd>\n");
    }
    Rel.write(dir.resolve("pom.xml"), SamplePom.render(properties, buildArgs, cmd.toString()));
    return this;
  }
}
