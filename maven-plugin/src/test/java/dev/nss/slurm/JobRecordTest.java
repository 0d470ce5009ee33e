package dev.nss.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code scontrol show job} as slurm-wlm 22.05 prints it: records, paths with spaces, array tasks.
 */
class JobRecordTest {

  private static final String ARRAY =
      """
      JobId=12 ArrayJobId=11 ArrayTaskId=1 JobName=nss-run
         UserId=root(0) GroupId=root(0) MCS_label=N/A
         JobState=FAILED Reason=NonZeroExitCode Dependency=(null)
         Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=3:0
         RunTime=00:00:02 TimeLimit=UNLIMITED TimeMin=N/A
         NodeList=vm
         WorkDir=/tmp/my project
         StdErr=/tmp/my project/target/nss-slurm/nss-run-11_1.out
         StdOut=/tmp/my project/target/nss-slurm/nss-run-11_1.out

      JobId=11 ArrayJobId=11 ArrayTaskId=2-3%2 JobName=nss-run
         JobState=PENDING Reason=JobArrayTaskLimit Dependency=(null)
         Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0
         StdOut=/tmp/my project/target/nss-slurm/nss-run-%A_%a.out
      """;

  @Test
  void recordsKeepPathsWithSpacesAndReadExitCodeAndSignal() {
    List<JobRecord> records = JobRecord.parse(ARRAY);
    assertEquals(2, records.size());
    JobRecord failed = records.get(0);
    assertEquals("12", failed.jobId());
    assertEquals("1", failed.arrayTaskId());
    assertEquals("FAILED", failed.state());
    assertTrue(failed.finished());
    assertEquals(3, failed.exitCode());
    assertEquals(0, failed.signal());
    assertEquals("/tmp/my project/target/nss-slurm/nss-run-11_1.out", failed.get("StdOut"));
    JobRecord pending = records.get(1);
    assertEquals("2-3%2", pending.arrayTaskId());
    assertFalse(pending.finished() || pending.running());
    assertEquals("JobArrayTaskLimit", pending.get("Reason"));
  }

  @Test
  void aTimedOutJobEndedBySignal15() {
    JobRecord r =
        JobRecord.parse(
                "JobId=7 JobName=x\n   JobState=TIMEOUT Reason=TimeLimit\n   ExitCode=0:15\n"
                    + "   ArrayTaskId=N/A\n")
            .get(0);
    assertEquals(15, r.signal());
    assertEquals("", r.arrayTaskId(), "N/A is no task");
    assertTrue(r.finished());
  }

  @Test
  void anExitCodeWithoutASignalAndTokensWithoutAKeyAreRead() {
    JobRecord r = JobRecord.parse("JobId=8 =stray JobName=x\n   ExitCode=3\n").get(0);
    assertEquals(3, r.exitCode());
    assertEquals(0, r.signal());
    assertEquals(Set.of("JobId", "JobName", "ExitCode"), r.fields().keySet());
  }
}
