package dev.nss.entrypoint;

/** Severity of a preflight finding; only {@link #WARNING} counts in strict mode. */
enum Level {
  OK,
  HINT,
  WARNING
}
