package dev.nss.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's output, line by line, and never an earlier job's output in a file of the same name. */
class OutputFollowerTest {

  @TempDir Path tmp;
  private final List<String> log = new ArrayList<>();

  /**
   * A second ago: the file system stamps a file with its coarser clock, which can read a few
   * milliseconds behind {@link Instant#now()} taken just before the write.
   */
  private final FileTime submitted = FileTime.from(Instant.now().minusSeconds(1));

  @Test
  void linesArriveWhenCompleteAndUtf8IsNeverSplit() throws Exception {
    Path out = tmp.resolve("new.out");
    OutputFollower follower = new OutputFollower(log::add, submitted);
    follower.follow(out, "[task 1] ");
    follower.poll(); // not there yet
    Files.write(out, new byte[] {'c', 'a', 'f', (byte) 0xc3});
    follower.poll();
    assertEquals(List.of(), log, "no complete line yet");
    Files.write(out, new byte[] {(byte) 0xa9, '\n', 'e', 'n', 'd'}, StandardOpenOption.APPEND);
    follower.poll();
    follower.drain();
    assertEquals(List.of("[task 1] caf\u00e9", "[task 1] end"), log);
  }

  @Test
  void anEarlierJobsFileIsSkippedUntilTheJobTruncatesIt() throws Exception {
    Path out = stale("old job's line\n");
    OutputFollower follower = new OutputFollower(log::add, submitted);
    follower.follow(out, "");
    follower.poll();
    assertEquals(List.of(), log);
    Files.writeString(out, "new\n", StandardCharsets.UTF_8); // Slurm's default open mode truncates
    follower.poll();
    assertEquals(List.of("new"), log);
  }

  @Test
  void anAppendedFileGivesOnlyWhatTheJobAdded() throws Exception {
    Path out = stale("old job's line\n");
    OutputFollower follower = new OutputFollower(log::add, submitted);
    follower.follow(out, "");
    Files.writeString(out, "appended\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    follower.drain();
    assertEquals(List.of("appended"), log);
  }

  private Path stale(String content) throws Exception {
    Path out = tmp.resolve("job.out");
    Files.writeString(out, content, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(out, FileTime.from(Instant.now().minusSeconds(60)));
    return out;
  }

  @Test
  void severalLinesInOneReadArriveOneByOne() throws Exception {
    Path out = Files.writeString(tmp.resolve("two.out"), "first\nsecond\nthird\n");
    OutputFollower follower = new OutputFollower(log::add, submitted);
    follower.follow(out, "");
    follower.poll();
    assertEquals(List.of("first", "second", "third"), log);
  }

  @Test
  void aFileWrittenAtTheMomentOfSubmissionIsTheJobs() throws Exception {
    Path out = Files.writeString(tmp.resolve("now.out"), "the job's line\n");
    Files.setLastModifiedTime(out, submitted);
    OutputFollower follower = new OutputFollower(log::add, submitted);
    follower.follow(out, "");
    follower.poll();
    assertEquals(List.of("the job's line"), log);
  }

  @Test
  void theTailIsTheLastBytesOrTheWholeOfASmallFile() throws Exception {
    Path out = Files.writeString(tmp.resolve("tail.out"), "hello world");
    assertEquals("world", OutputFollower.tail(out, 5));
    assertEquals("hello world", OutputFollower.tail(out, 64));
    assertEquals("", OutputFollower.tail(tmp.resolve("missing.out"), 64));
  }
}
