package dev.nss.entrypoint;

/** What every line of the agent on stderr starts with, and how an exception is named in one. */
final class Messages {
  static final String PREFIX = "[nss-container] ";

  private Messages() {}

  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }
}
