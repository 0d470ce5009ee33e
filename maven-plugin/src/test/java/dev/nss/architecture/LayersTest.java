package dev.nss.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin's packages are floors: each may use only the floors below it. {@code core} (names,
 * shell words, JSON, the command runner, exceptions) at the bottom; {@code engine} (what doctor and
 * goals both know of docker and podman) on it; {@code container} and {@code doctor} beside each
 * other, never using each other; {@code slurm} on {@code container}'s runs; {@code maven} on top.
 * Read from the sources: every {@code dev.nss.*} name a file mentions, imported or written out.
 */
class LayersTest {

  static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "core", Set.of(),
          "engine", Set.of("core"),
          "container", Set.of("core", "engine"),
          "doctor", Set.of("core", "engine"),
          "slurm", Set.of("core", "engine", "container"),
          "maven", Set.of("core", "engine", "container", "doctor", "slurm"));

  static final Path SOURCES = Path.of("src/main/java/dev/nss");
  static final Pattern REFERENCE = Pattern.compile("\\bdev\\.nss\\.([a-z]+)\\.[A-Za-z]");

  @Test
  void noPackageUsesAFloorAboveOrBesideIt() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, Set<String>> floor : ALLOWED.entrySet()) {
      for (String edge : edges(floor.getKey())) {
        String[] parts = edge.split(" -> ");
        if (!floor.getValue().contains(parts[1])) {
          violations.add(edge);
        }
      }
    }
    assertEquals(List.of(), violations, "imports that run up or sideways");
  }

  @Test
  void everyPackageIsOnAFloor() throws IOException {
    Set<String> packages = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(SOURCES)) {
      dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
    }
    assertEquals(new TreeSet<>(ALLOWED.keySet()), packages);
  }

  @Test
  void theCheckSeesAnEdgeItMustRefuse() throws IOException {
    // The check reads what it claims to: slurm's files do name container classes.
    assertTrue(edges("slurm").stream().anyMatch(e -> e.endsWith(" -> container")));
  }

  /** {@code "file.java: pkg -> other"} for every other package a file of {@code pkg} names. */
  static Set<String> edges(String pkg) throws IOException {
    Set<String> edges = new TreeSet<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            edges.add(file.getFileName() + ": " + pkg + " -> " + m.group(1));
          }
        }
      }
    }
    return edges;
  }
}
