package dev.nss.entrypoint;

import java.nio.file.Path;

/**
 * The native image's entry point (native-image's main class): {@link Main}'s agent with the C
 * interface's execv. Choosing the class at image build time keeps the FFM binding out of the image.
 */
public final class NativeMain {
  private NativeMain() {}

  public static void main(String[] args) {
    Main main = new Main(new Host(), Path.of("/dev"), new CExecv());
    System.exit(main.run(System.getenv(), System.err, RawArgs.of(args)));
  }
}
