package dev.nss.container;

import dev.nss.core.FileTrees;
import dev.nss.core.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Puts the nss-entrypoint agent jar of the plugin's own version into the build context, where
 * Dockerfile.cuda copies it from: {@code <context>/.nss-build/entrypoint/nss-entrypoint.jar}.
 */
public final class AgentStager {

  public static final String STAGING_DIR = ".nss-build";
  public static final String AGENT_PATH = STAGING_DIR + "/entrypoint/nss-entrypoint.jar";

  private AgentStager() {}

  /**
   * Fails when the filter the engine will use for this build hides the staged agent (see {@link
   * ContextFilter}); the bundled filter never does.
   */
  public static void checkNotIgnored(String cli, BuildInputs inputs)
      throws InvalidSettingException {
    Path ignoreFile = ContextFilter.forBuild(cli, inputs);
    if (ignoreFile == null) {
      return;
    }
    String pattern;
    try {
      pattern = DockerIgnore.read(ignoreFile).excludingPattern(AGENT_PATH);
    } catch (IOException e) {
      throw new InvalidSettingException(
          BundledContainers.IGNORE_FILE,
          "cannot read " + ignoreFile + " (" + e.getMessage() + ")",
          "Make it readable.");
    }
    if (pattern != null) {
      throw new InvalidSettingException(
          BundledContainers.IGNORE_FILE,
          ignoreFile
              + " excludes "
              + AGENT_PATH
              + " (pattern '"
              + pattern
              + "'), where the plugin stages the nss-entrypoint agent for the image build",
          "Add the line !" + STAGING_DIR + " at the end of " + ignoreFile + ".");
    }
  }

  /**
   * Removes any earlier staging, then copies {@code agentJar} to its place. Returns the staged
   * file.
   */
  public static Path stage(Path agentJar, Path context) throws IOException {
    if (agentJar == null || !Files.isRegularFile(agentJar)) {
      throw new IOException(
          "the agent jar of the plugin's dependency dev.nss:nss-entrypoint is missing ("
              + agentJar
              + "); reinstall nss-maven-plugin");
    }
    cleanUp(context);
    Path staged = context.resolve(AGENT_PATH);
    Files.createDirectories(staged.getParent());
    Files.copy(agentJar, staged, StandardCopyOption.REPLACE_EXISTING);
    return staged;
  }

  /** Deletes {@code <context>/.nss-build} and everything in it. */
  public static void cleanUp(Path context) throws IOException {
    FileTrees.delete(context.resolve(STAGING_DIR));
  }
}
