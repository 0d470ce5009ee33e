package dev.nss.doctor;

import dev.nss.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The outcomes of the doctor's probe builds, kept in {@code <cache dir>/doctor-probes.json} (see
 * {@link DoctorEnvironment#cacheDir()}) so that a probe runs once per engine rather than at every
 * doctor run.
 *
 * <p>Each entry is keyed by what decides the outcome (the CLI binary, the engine's identity and
 * version, the builder's configuration files, the probe itself: see {@link BuildKitCheck}); a key
 * that differs in any part is a miss, and so is an entry older than {@link #MAX_AGE}. Only the
 * outcome, the key and the time are kept: no command output, no environment, nothing secret. The
 * file is a convenience: one that is missing, unreadable or corrupt is no entry, and one that
 * cannot be written is left as it is; neither ever fails a check.
 */
final class ProbeCache {

  static final String FILE_NAME = "doctor-probes.json";

  /** Raised when an entry's properties change meaning; entries of another version are ignored. */
  static final int FORMAT_VERSION = 1;

  /** An entry older than this is probed again, for what the key cannot see. */
  static final Duration MAX_AGE = Duration.ofDays(7);

  /** The most entries kept (one per CLI and engine the user checks); the oldest go first. */
  static final int MAX_ENTRIES = 16;

  /**
   * What a probe found. A failed probe is not kept: it fails fast, and the user is about to change
   * what made it fail.
   */
  enum Outcome {
    /** The probe built. */
    BUILT,
    /** The probe did not finish within the time limit. */
    HUNG;

    String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One kept outcome.
   *
   * @param key what the outcome was found for
   * @param outcome the outcome
   * @param probedAt when
   * @param waitedSeconds how long the probe ran (for {@link Outcome#HUNG}: the limit it ran into)
   */
  record Entry(Map<String, String> key, Outcome outcome, Instant probedAt, long waitedSeconds) {}

  private final Path file;
  private final Clock clock;

  ProbeCache(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** The cache of this user: {@code <cache dir>/doctor-probes.json}. */
  static ProbeCache of(DoctorEnvironment environment) {
    return new ProbeCache(environment.cacheDir().resolve(FILE_NAME), environment.clock());
  }

  Path file() {
    return file;
  }

  /** The entry kept for exactly this key, unless it is older than {@link #MAX_AGE}. */
  Optional<Entry> lookup(Map<String, String> key) {
    return fresh().stream().filter(e -> e.key().equals(key)).findFirst();
  }

  /**
   * Keeps an outcome, replacing any entry of the same key and dropping expired ones. Best effort: a
   * file that cannot be written stays as it is (the next run probes again).
   */
  void store(Map<String, String> key, Outcome outcome, long waitedSeconds) {
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry(Map.copyOf(key), outcome, clock.instant(), waitedSeconds));
    for (Entry e : fresh()) {
      if (!e.key().equals(key) && entries.size() < MAX_ENTRIES) {
        entries.add(e);
      }
    }
    Path temp = null;
    try {
      Files.createDirectories(file.getParent());
      temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
      Files.writeString(temp, toJson(entries), StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // Not kept: the next run probes again.
      deleteQuietly(temp);
    }
  }

  /** The readable entries that are not older than {@link #MAX_AGE} (nor dated in the future). */
  private List<Entry> fresh() {
    Instant now = clock.instant();
    List<Entry> fresh = new ArrayList<>();
    for (Entry e : read()) {
      if (!e.probedAt().isAfter(now) && e.probedAt().plus(MAX_AGE).isAfter(now)) {
        fresh.add(e);
      }
    }
    return fresh;
  }

  /** Every well-formed entry of the file; none when it is missing, unreadable or not ours. */
  private List<Entry> read() {
    List<Entry> entries = new ArrayList<>();
    Object root;
    try {
      root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return entries;
    }
    if (!(Json.at(root, "formatVersion") instanceof Long version)
        || version != FORMAT_VERSION
        || !(Json.at(root, "probes") instanceof List<?> probes)) {
      return entries;
    }
    for (Object probe : probes) {
      entry(probe).ifPresent(entries::add);
    }
    return entries;
  }

  private static Optional<Entry> entry(Object probe) {
    if (!(Json.at(probe, "key") instanceof Map<?, ?> rawKey)
        || !(Json.at(probe, "waitedSeconds") instanceof Long waited)) {
      return Optional.empty();
    }
    Map<String, String> key = new LinkedHashMap<>();
    for (Map.Entry<?, ?> field : rawKey.entrySet()) {
      if (!(field.getValue() instanceof String value)) {
        return Optional.empty();
      }
      key.put(String.valueOf(field.getKey()), value);
    }
    Optional<Outcome> outcome = outcome(Json.string(probe, "outcome"));
    try {
      Instant probedAt = Instant.parse(Json.string(probe, "probedAt"));
      return outcome.map(o -> new Entry(Map.copyOf(key), o, probedAt, waited));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Outcome> outcome(String name) {
    for (Outcome o : Outcome.values()) {
      if (o.jsonName().equals(name)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  static String toJson(List<Entry> entries) {
    StringBuilder out = new StringBuilder();
    out.append("{\n  \"formatVersion\": ").append(FORMAT_VERSION).append(",\n  \"probes\": [");
    String separator = "\n";
    for (Entry e : entries) {
      out.append(separator).append("    {\"key\": {");
      separator = ",\n";
      String fieldSeparator = "";
      for (Map.Entry<String, String> field : new TreeMap<>(e.key()).entrySet()) {
        out.append(fieldSeparator)
            .append(Json.quote(field.getKey()))
            .append(": ")
            .append(Json.quote(field.getValue()));
        fieldSeparator = ", ";
      }
      out.append("}, \"outcome\": ")
          .append(Json.quote(e.outcome().jsonName()))
          .append(", \"probedAt\": ")
          .append(Json.quote(e.probedAt().toString()))
          .append(", \"waitedSeconds\": ")
          .append(e.waitedSeconds())
          .append("}");
    }
    out.append(entries.isEmpty() ? "]\n" : "\n  ]\n").append("}\n");
    return out.toString();
  }

  private static void deleteQuietly(Path temp) {
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a stray temp file in the cache dir is harmless
      }
    }
  }
}
