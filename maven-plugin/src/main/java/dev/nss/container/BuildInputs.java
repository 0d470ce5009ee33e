package dev.nss.container;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an image build reads, shared by single- and multi-platform builds.
 *
 * @param bundledDockerfile true when {@code dockerfile} is the plugin's bundled copy, still to be
 *     written
 * @param workDir the directory the CLI runs in; paths under it appear relative in argv, as in the
 *     Makefile
 */
public record BuildInputs(
    Path dockerfile,
    boolean bundledDockerfile,
    Path context,
    Path workDir,
    Map<String, String> buildArgs,
    Map<String, String> labels) {

  /** These inputs with one more label, or that label's value replaced. */
  BuildInputs withLabel(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(labels);
    more.put(key, value);
    return new BuildInputs(dockerfile, bundledDockerfile, context, workDir, buildArgs, more);
  }
}
