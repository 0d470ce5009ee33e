package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.util.List;

/**
 * The JVM encodes a child's argv in the charset of its start-up locale ({@code sun.jnu.encoding});
 * in the POSIX locale every non-ASCII character becomes '?'. Such an argument is refused before any
 * command runs, instead of silently reaching the container changed.
 */
public final class ArgvEncoding {

  private ArgvEncoding() {}

  /** The charset this JVM encodes process arguments with. */
  public static Charset platform() {
    return named(
        System.getProperty("sun.jnu.encoding", System.getProperty("native.encoding", "UTF-8")));
  }

  /** The charset called {@code name}; the JVM's default one when there is none of that name. */
  static Charset named(String name) {
    try {
      return Charset.forName(name);
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }

  public static void check(List<String> argv, Charset charset) throws InvalidSettingException {
    CharsetEncoder encoder = charset.newEncoder();
    for (int i = 0; i < argv.size(); i++) {
      if (!encoder.canEncode(argv.get(i))) {
        throw new InvalidSettingException(
            "LANG",
            "argument "
                + i
                + " of `"
                + argv.get(0)
                + " "
                + argv.get(1)
                + "` has characters that Maven's JVM cannot pass on in its "
                + charset.name()
                + " locale: they would "
                + "arrive as '?' (and Maven may already have received them as U+FFFD)",
            "Run Maven in a UTF-8 locale, e.g. export LANG=C.UTF-8.");
      }
    }
  }
}
