package dev.nss.slurm;

/** What an image reference says about where the image comes from. */
final class ImageReferences {

  private ImageReferences() {}

  /**
   * True when the reference names a registry host ({@code host.domain/...}, {@code host:port/...},
   * {@code localhost/...}), so that any node can pull it; false for a bare {@code name:tag}, which the engine would look
   * up locally and then on Docker Hub.
   */
  static boolean fromRegistry(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String first = image.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost");
  }
}
