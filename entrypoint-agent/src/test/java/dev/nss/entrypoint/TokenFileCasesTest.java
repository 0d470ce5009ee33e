package dev.nss.entrypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against the token-file table it shares with the doctor's tests
 * (test-data/hf-token-files.tsv): same inputs, same verdicts, same read limit.
 */
class TokenFileCasesTest {
  private static final Path TABLE = Path.of("../test-data/hf-token-files.tsv");

  @TempDir Path tmp;

  @Test
  void readLimitIsTheTables() throws IOException {
    assertEquals(Integer.parseInt(row("read-limit")[1]), Preflight.TOKEN_READ_LIMIT);
  }

  @Test
  void everyCaseGetsTheTablesVerdict() throws Exception {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (String line : Files.readAllLines(TABLE, StandardCharsets.UTF_8)) {
      String[] c = line.split("\t");
      if (line.startsWith("#") || c.length != 4) {
        continue;
      }
      Path file = make(tmp.resolve("case" + cases++), c[1], c[2]);
      boolean token = Preflight.hasNonBlankContent(file);
      if (token != c[3].equals("token")) {
        failures.add(c[0] + ": expected " + c[3]);
      }
    }
    assertTrue(cases >= 10, "cases read: " + cases);
    assertEquals(List.of(), failures);
  }

  private static String[] row(String name) throws IOException {
    for (String line : Files.readAllLines(TABLE, StandardCharsets.UTF_8)) {
      if (line.startsWith(name + "\t")) {
        return line.split("\t");
      }
    }
    throw new AssertionError(name + " missing from " + TABLE);
  }

  /** The token path of one case: a file with the content, a directory, a FIFO, or nothing. */
  static Path make(Path path, String kind, String content) throws Exception {
    switch (kind) {
      case "file" -> Files.write(path, bytes(content));
      case "directory" -> Files.createDirectory(path);
      case "fifo" -> {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).start();
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
      }
      case "missing" -> {}
      default -> throw new AssertionError("unknown kind " + kind);
    }
    return path;
  }

  /** Pieces separated by spaces, each hex bytes or HEX*COUNT; "-" is no content. */
  static byte[] bytes(String content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!content.equals("-")) {
      for (String piece : content.split(" ")) {
        String[] repeat = piece.split("\\*");
        byte[] unit = HexFormat.of().parseHex(repeat[0]);
        for (int i = repeat.length == 2 ? Integer.parseInt(repeat[1]) : 1; i > 0; i--) {
          out.writeBytes(unit);
        }
      }
    }
    return out.toByteArray();
  }
}
