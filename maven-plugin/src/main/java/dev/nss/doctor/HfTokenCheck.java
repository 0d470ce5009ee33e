package dev.nss.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * {@code hf-token}: a Hugging Face token is available, by the agent's rules: {@code HF_TOKEN} or
 * {@code HUGGING_FACE_HUB_TOKEN} non-blank, or a non-blank token file at {@code HF_TOKEN_PATH},
 * else {@code $HF_HOME/token}, else {@code $XDG_CACHE_HOME/huggingface/token}, else {@code
 * $HOME/.cache/huggingface/token}.
 *
 * <p>The run goals pass the two variables by name and mount {@code nss.hfCache} as the container's
 * {@code HF_HOME}, so a token file the host finds elsewhere is not seen inside: that is a warning
 * with the fix. Nothing here ever prints a token or its length.
 */
final class HfTokenCheck implements Check {

  /** Bytes of a token file that are read: a token is ~40; a FIFO is never opened. */
  static final int READ_LIMIT = 4096;

  private static final String FIX =
      "export HF_TOKEN=<your token> before running the goals (the run goals pass it by name), or log in with"
          + " huggingface-cli login, which writes ~/.cache/huggingface/token";

  @Override
  public String id() {
    return "hf-token";
  }

  @Override
  public String description() {
    return "HF token available (HF_TOKEN, HUGGING_FACE_HUB_TOKEN or a token file, as the agent finds it); never"
        + " printed";
  }

  @Override
  public Finding run(CheckContext context) {
    DoctorEnvironment env = context.environment();
    for (String variable : new String[] {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
      if (!env.env(variable).isBlank()) {
        return Finding.ok(variable + " is set (passed to the container by name)");
      }
    }
    Path inCache = context.settings().hfCache().resolve("token");
    if (hasToken(inCache)) {
      return Finding.ok("token file " + inCache + " (the container's $HF_HOME/token)");
    }
    Optional<Path> file = tokenFile(env);
    if (file.isPresent() && hasToken(file.get())) {
      return Finding.warning(
          "token file "
              + file.get()
              + ", which the container does not see (it mounts "
              + context.settings().hfCache()
              + ")",
          "export HF_TOKEN=\"$(cat "
              + file.get()
              + ")\" before running the goals, or copy it to "
              + inCache);
    }
    return Finding.warning(
        "no token (HF_TOKEN, HUGGING_FACE_HUB_TOKEN unset; no token file); gated models such as Llama will fail",
        FIX);
  }

  /** The token file the agent would read, by its rules; empty when no rule gives a path. */
  static Optional<Path> tokenFile(DoctorEnvironment env) {
    if (!env.env("HF_TOKEN_PATH").isBlank()) {
      return Optional.of(Paths.get(env.env("HF_TOKEN_PATH")));
    }
    if (!env.env("HF_HOME").isBlank()) {
      return Optional.of(Paths.get(env.env("HF_HOME"), "token"));
    }
    if (!env.env("XDG_CACHE_HOME").isBlank()) {
      return Optional.of(Paths.get(env.env("XDG_CACHE_HOME"), "huggingface", "token"));
    }
    String home = env.env("HOME").isBlank() ? "/tmp" : env.env("HOME");
    return Optional.of(Paths.get(home, ".cache", "huggingface", "token"));
  }

  /**
   * A regular file whose first {@value #READ_LIMIT} bytes are not all ASCII whitespace: the agent's
   * rule, pinned for both by test-data/hf-token-files.tsv. Keeps nothing it reads.
   */
  static boolean hasToken(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return !isBlank(in.readNBytes(READ_LIMIT));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x0b) {
        return false;
      }
    }
    return true;
  }
}
