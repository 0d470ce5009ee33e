package dev.nss.entrypoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code hf-token} check: a Hugging Face token in the environment or in the file where
 * huggingface_hub looks for one. The token itself is never read into a message.
 */
final class HfTokenCheck {

  static final String ID = "hf-token";

  /** Enough for any real token file; the rest is not read. */
  static final int TOKEN_READ_LIMIT = 4096;

  private HfTokenCheck() {}

  static Finding check(Map<String, String> env, Engine engine) throws IOException {
    if (Preflight.value(env, "HF_TOKEN") != null) {
      return new Finding(ID, Level.OK, "HF_TOKEN is set");
    }
    if (Preflight.value(env, "HUGGING_FACE_HUB_TOKEN") != null) {
      return new Finding(ID, Level.OK, "HUGGING_FACE_HUB_TOKEN is set");
    }
    Path file = tokenFile(env);
    if (hasNonBlankContent(file)) {
      return new Finding(ID, Level.OK, "token file " + file + " is present");
    }
    return new Finding(
        ID,
        Level.HINT,
        "no Hugging Face token (HF_TOKEN, HUGGING_FACE_HUB_TOKEN or "
            + file
            + "): gated models such as Llama will fail to download. "
            + "Fix: export HF_TOKEN=... on the host, then "
            + engine.run()
            + " -e HF_TOKEN ...");
  }

  /** Where huggingface_hub looks for a stored token: the first location that is configured. */
  static Path tokenFile(Map<String, String> env) {
    String explicit = Preflight.value(env, "HF_TOKEN_PATH");
    if (explicit != null) {
      return Path.of(explicit);
    }
    String hfHome = Preflight.value(env, "HF_HOME");
    if (hfHome != null) {
      return Path.of(hfHome, "token");
    }
    String xdg = Preflight.value(env, "XDG_CACHE_HOME");
    if (xdg != null) {
      return Path.of(xdg, "huggingface", "token");
    }
    return Path.of(Preflight.valueOr(env, "HOME", "/tmp"), ".cache", "huggingface", "token");
  }

  /** Regular files only: a FIFO or device at that path would block the read. */
  static boolean hasNonBlankContent(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return nonBlank(in.readNBytes(TOKEN_READ_LIMIT));
    }
  }

  private static boolean nonBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x0b) {
        return true;
      }
    }
    return false;
  }
}
