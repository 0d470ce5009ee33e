package dev.nss.entrypoint;

/** The outcome of one preflight check. */
final class Finding {
  final String id;
  final Level level;
  final String message;
  long durationNanos;

  Finding(String id, Level level, String message) {
    this.id = id;
    this.level = level;
    this.message = message;
  }

  /** The line printed on stderr; OK findings are never printed. */
  String line() {
    return Messages.PREFIX + level.name() + ": " + message;
  }
}
