package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.engine.Engine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The registry side of push-gpu and build-gpu-multiarch: log in (when credentials are given), push
 * under every tag and learn the digest, log out. Login and push commands run with a {@link
 * RegistrySession} of their own; builds do not, so that they pull base images with the user's own
 * logins.
 */
final class RegistryPublisher implements AutoCloseable {

  private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");
  private static final Pattern DIGEST_LINE = Pattern.compile("(?m)^(sha256:[0-9a-f]{64})\\s*$");
  private static final Pattern METADATA_DIGEST =
      Pattern.compile("\"containerimage\\.digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"");

  private final ContainerCli cli;
  private final String cliName;
  private final RegistryTarget destination;
  private final RegistrySession session;
  private final RegistryCredentials credentials;
  private final Consumer<String> log;
  private boolean loggedIn;

  private RegistryPublisher(
      ContainerCli cli,
      String cliName,
      RegistryTarget destination,
      RegistrySession session,
      RegistryCredentials credentials,
      Consumer<String> log) {
    this.cli = cli;
    this.cliName = cliName;
    this.destination = destination;
    this.session = session;
    this.credentials = credentials;
    this.log = log;
  }

  /**
   * @param credentials null: no login, the CLI's own (e.g. a CI login step's) applies
   * @param userDockerConfig the user's docker config directory (for buildx, see {@link
   *     RegistrySession})
   */
  static RegistryPublisher open(
      ContainerCli cli,
      String cliName,
      RegistryTarget destination,
      RegistryCredentials credentials,
      Path userDockerConfig,
      Consumer<String> log)
      throws CommandFailedException {
    RegistrySession session = RegistrySession.create(cli.dryRun(), cli.shutdownHooks());
    try {
      Map<String, String> env =
          credentials == null ? Map.of() : session.loginEnvironment(cliName, userDockerConfig);
      return new RegistryPublisher(
          cli.withEnvironment(env), cliName, destination, session, credentials, log);
    } catch (CommandFailedException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /**
   * Logs in when credentials were given; a refusal names the settings.xml server and says that
   * nothing was pushed.
   */
  void login() throws CommandFailedException {
    if (credentials == null) {
      return;
    }
    String server = destination.loginServer();
    try {
      cli.withStdin(
          RegistryCommands.login(cliName, credentials.username(), server, destination.insecure()),
          credentials.password().getBytes(StandardCharsets.UTF_8));
    } catch (CommandFailedException e) {
      throw credentials.loginFailed(server == null ? "the default registry" : server, "pushed", e);
    }
    loggedIn = true;
  }

  /** The CLI that login and pushes run through (with the session's environment). */
  ContainerCli cli() {
    return cli;
  }

  RegistrySession session() {
    return session;
  }

  /** Pushes a local image under every tag; returns its digest (null in dry-run mode). */
  String pushImage(String image) throws CommandFailedException {
    String digest = null;
    for (String tag : destination.tags()) {
      String reference = destination.reference(tag);
      String pushed;
      if (Engine.isPodman(cliName)) {
        Path digestFile = session.newFile("digest");
        cli.stream(
            RegistryCommands.push(cliName, image, reference, destination.insecure(), digestFile));
        pushed = reportedDigest(session.read(digestFile), reference);
      } else {
        cli.stream(RegistryCommands.tag(cliName, image, reference));
        pushed = pushTagged(reference);
      }
      digest = same(digest, pushed, reference);
    }
    return digest;
  }

  /** docker: pushes an image that is already tagged {@code reference}; returns its digest. */
  String pushTagged(String reference) throws CommandFailedException {
    String output = cli.stream(RegistryCommands.push(cliName, reference));
    return reportedDigest(Matches.lastGroup(PUSHED_DIGEST, output), reference);
  }

  /**
   * docker: a manifest list of the pushed per-platform {@code images} under every tag; returns the
   * list's digest.
   */
  String pushManifestList(List<String> images) throws CommandFailedException {
    String digest = null;
    for (String tag : destination.tags()) {
      String list = destination.reference(tag);
      cli.probe(
          RegistryCommands.manifestRemove(
              cliName, list)); // a list left by an earlier failed run would be refused
      // The daemon pushes to a loopback registry over plain HTTP on its own; `docker manifest`
      // reads the pushed images itself and needs --insecure for the same registry.
      boolean insecure = destination.insecure() || destination.onLoopback();
      cli.stream(RegistryCommands.manifestCreate(cliName, list, images, insecure));
      String output = cli.stream(RegistryCommands.manifestPush(cliName, list, insecure));
      digest = same(digest, reportedDigest(Matches.lastGroup(DIGEST_LINE, output), list), list);
    }
    return digest;
  }

  /**
   * podman: pushes the local manifest list {@code list} and its images under every tag; returns the
   * list's digest.
   */
  String pushPodmanList(String list) throws CommandFailedException {
    String digest = null;
    for (String tag : destination.tags()) {
      String reference = destination.reference(tag);
      Path digestFile = session.newFile("digest");
      cli.stream(
          RegistryCommands.manifestPush(
              cliName, list, reference, destination.insecure(), digestFile));
      digest = same(digest, reportedDigest(session.read(digestFile), reference), reference);
    }
    return digest;
  }

  /** buildx: the digest from the {@code --metadata-file} of {@code buildx build --push}. */
  String buildxDigest(Path metadataFile) throws CommandFailedException {
    return reportedDigest(
        Matches.lastGroup(METADATA_DIGEST, session.read(metadataFile)),
        destination.reference(destination.tags().get(0)));
  }

  @Override
  public void close() {
    try {
      if (loggedIn) {
        cli.probe(RegistryCommands.logout(cliName, destination.loginServer()));
      }
    } finally {
      session.close();
    }
  }

  private String same(String earlier, String digest, String reference) {
    if (earlier != null && digest != null && !earlier.equals(digest)) {
      log.accept(
          "[WARNING] "
              + reference
              + " got digest "
              + digest
              + ", the tags before it "
              + earlier
              + "; recording "
              + earlier);
    }
    return earlier != null ? earlier : digest;
  }

  /**
   * The digest the CLI reported for {@code reference}; null in dry-run mode, where nothing was
   * pushed.
   */
  private String reportedDigest(String digest, String reference) throws CommandFailedException {
    if (cli.dryRun()) {
      return null;
    }
    if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
      throw new CommandFailedException(
          "`"
              + cliName
              + "` pushed "
              + reference
              + " but reported no digest, so "
              + "nothing could be recorded. Look it up with `"
              + cliName
              + " manifest inspect "
              + reference
              + "`, or run "
              + "the goal again.",
          -1);
    }
    return digest;
  }
}
