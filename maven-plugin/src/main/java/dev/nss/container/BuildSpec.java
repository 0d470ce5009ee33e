package dev.nss.container;

import java.nio.file.Path;
import java.util.Map;

/**
 * A checked single-platform image build.
 *
 * @param target the Dockerfile stage, or null for the last one
 * @param bundledDockerfile true when {@code dockerfile} is the plugin's bundled copy, still to be written
 * @param stageAgent true when the agent jar must be staged into the context
 * @param workDir the directory the CLI runs in; paths under it appear relative in argv, as in the Makefile
 */
public record BuildSpec(
    String cli,
    String platform,
    String tag,
    String target,
    Path dockerfile,
    boolean bundledDockerfile,
    Path context,
    Path workDir,
    Map<String, String> buildArgs,
    Map<String, String> labels,
    boolean stageAgent) {}
