package dev.nss.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor against the token-file table it shares with the agent's tests (test-data/hf-token-files.tsv): same
 * inputs, same verdicts, same read limit. The agent does not depend on the plugin, so each module reads the table.
 */
class TokenFileCasesTest {
  private static final Path TABLE = Paths.get("../test-data/hf-token-files.tsv");

  @TempDir Path tmp;

  @Test
  void readLimitIsTheTables() throws IOException {
    assertEquals(Integer.parseInt(row("read-limit")[1]), HfTokenCheck.READ_LIMIT);
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
      if (HfTokenCheck.hasToken(file) != c[3].equals("token")) {
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
  private static Path make(Path path, String kind, String content) throws Exception {
    if (kind.equals("file")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (String piece : content.equals("-") ? new String[0] : content.split(" ")) {
        String[] repeat = piece.split("\\*");
        for (int i = repeat.length == 2 ? Integer.parseInt(repeat[1]) : 1; i > 0; i--) {
          out.write(HexFormat.of().parseHex(repeat[0]));
        }
      }
      Files.write(path, out.toByteArray());
    } else if (kind.equals("directory")) {
      Files.createDirectory(path);
    } else if (kind.equals("fifo")) {
      Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).start();
      assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
    } else if (!kind.equals("missing")) {
      throw new AssertionError("unknown kind " + kind);
    }
    return path;
  }
}
