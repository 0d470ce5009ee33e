package dev.nss.testdata;

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
 * The Hugging Face token-file cases of test-data/hf-token-files.tsv, run against one reader of such
 * files: the agent's and the doctor's tests each extend this class with their own reader, so both
 * get the same inputs, verdicts and read limit while neither module depends on the other. Compiled
 * into both modules' tests (build-helper's add-test-source); Java 17, like the plugin.
 */
public abstract class TokenFileTable {
  private static final Path TABLE = Paths.get("../test-data/hf-token-files.tsv");

  @TempDir Path tmp;

  /** Whether the reader finds a token in {@code file}. */
  protected abstract boolean hasToken(Path file) throws IOException;

  /** How many bytes of a token file the reader reads at most. */
  protected abstract int readLimit();

  @Test
  void readLimitIsTheTables() throws IOException {
    for (String line : Files.readAllLines(TABLE, StandardCharsets.UTF_8)) {
      if (line.startsWith("read-limit\t")) {
        assertEquals(Integer.parseInt(line.split("\t")[1]), readLimit());
        return;
      }
    }
    throw new AssertionError("read-limit missing from " + TABLE);
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
      if (hasToken(file) != c[3].equals("token")) {
        failures.add(c[0] + ": expected " + c[3]);
      }
    }
    assertTrue(cases >= 10, "cases read: " + cases);
    assertEquals(List.of(), failures);
  }

  /** The token path of one case: a file with the content, a directory, a FIFO, or nothing. */
  private static Path make(Path path, String kind, String content) throws Exception {
    if (kind.equals("file")) {
      Files.write(path, bytes(content));
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

  /** Pieces separated by spaces, each hex bytes or HEX*COUNT; "-" is no content. */
  private static byte[] bytes(String content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String piece : content.equals("-") ? new String[0] : content.split(" ")) {
      String[] repeat = piece.split("\\*");
      byte[] unit = HexFormat.of().parseHex(repeat[0]);
      for (int i = repeat.length == 2 ? Integer.parseInt(repeat[1]) : 1; i > 0; i--) {
        out.write(unit, 0, unit.length);
      }
    }
    return out.toByteArray();
  }
}
