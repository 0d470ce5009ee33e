package dev.nss.doctor;

import dev.nss.core.CommandResult;
import dev.nss.core.ShellWords;
import dev.nss.engine.Engine;
import dev.nss.engine.RunOwner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code orphans}: containers of the run goals whose Maven is gone. Each run's keeper removes its
 * container when Maven dies; only when the keeper died too (a kill of the whole cgroup, a machine
 * reset) can one stay. The containers carry their Maven's PID, start time, boot id and host as
 * labels; one is orphaned when, on this host, that process no longer exists. A warning, with the
 * command that removes them.
 */
final class OrphanCheck implements Check {

  /**
   * Tab-separated: id, name, the four owner labels, status; {@code index .Config.Labels} works on
   * both engines.
   */
  static final String FORMAT =
      "{{.Id}}\t{{.Name}}\t"
          + label(RunOwner.PID_LABEL)
          + "\t"
          + label(RunOwner.START_LABEL)
          + "\t"
          + label(RunOwner.BOOT_LABEL)
          + "\t"
          + label(RunOwner.HOST_LABEL)
          + "\t{{.State.Status}}";

  private final RunOwner here;

  OrphanCheck() {
    this(RunOwner.current());
  }

  /**
   * @param here this machine now, as a run's owner would be labelled
   */
  OrphanCheck(RunOwner here) {
    this.here = here;
  }

  @Override
  public String id() {
    return "orphans";
  }

  @Override
  public String description() {
    return "containers of nss runs whose Maven process is gone (a warning, with the command that removes them)";
  }

  @Override
  public Finding run(CheckContext context) throws InterruptedException {
    if (context.cliPath().isEmpty()) {
      return Finding.warning("not checked: " + context.cli() + " not found", CliCheck.fix(context));
    }
    CommandResult ps =
        context.cli("ps", "-a", "-q", "--no-trunc", "--filter", "label=" + RunOwner.PID_LABEL);
    if (!ps.succeeded()) {
      return Finding.warning(
          "not checked: `" + context.cli() + " ps` failed (" + ps.firstErrorLine() + ")",
          "see the engine check");
    }
    List<String> ids = ps.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (ids.isEmpty()) {
      return Finding.ok("no nss run containers");
    }
    List<String> argv = new ArrayList<>(List.of("container", "inspect", "--format", FORMAT));
    argv.addAll(ids);
    CommandResult inspect = context.cli(argv.toArray(String[]::new));
    List<String> orphans = new ArrayList<>();
    List<String> described = new ArrayList<>();
    for (String line : inspect.stdout().lines().toList()) {
      String[] f = line.split("\t", -1);
      if (f.length < 7) {
        continue; // removed meanwhile
      }
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(RunOwner.PID_LABEL, f[2]);
      labels.put(RunOwner.START_LABEL, f[3]);
      labels.put(RunOwner.BOOT_LABEL, f[4]);
      labels.put(RunOwner.HOST_LABEL, f[5]);
      Optional<RunOwner> owner = RunOwner.fromLabels(labels);
      if (owner.isPresent() && owner.get().isGoneAsSeenFrom(here)) {
        orphans.add(f[0].substring(0, Math.min(12, f[0].length())));
        described.add(f[1].replaceFirst("^/", "") + " (" + f[6] + ", Maven " + f[2] + ")");
      }
    }
    if (orphans.isEmpty()) {
      return Finding.ok(
          ids.size()
              + " nss run container(s), each with its Maven still running (or on another host)");
    }
    List<String> rm = new ArrayList<>(Engine.forceRemove(context.cli(), orphans.get(0)));
    rm.addAll(orphans.subList(1, orphans.size()));
    return Finding.warning(
        orphans.size() + " container(s) whose Maven is gone: " + String.join(", ", described),
        ShellWords.quote(rm));
  }

  private static String label(String name) {
    return "{{index .Config.Labels \"" + name + "\"}}";
  }
}
