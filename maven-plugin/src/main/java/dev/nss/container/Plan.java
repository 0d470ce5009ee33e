package dev.nss.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a goal will do, in order: the settings checked once and turned into {@link Step}s. A plan is
 * data: {@link PlanRunner} runs it (or, in dry-run mode, prints it), {@code submit-slurm} writes
 * its run into a job script, tests compare it.
 */
public record Plan(List<Step> steps) {

  public Plan {
    steps = List.copyOf(steps);
  }

  public static Plan of(Step... steps) {
    return new Plan(List.of(steps));
  }

  /** This plan, then {@code more}. */
  public Plan then(List<Step> more) {
    List<Step> all = new ArrayList<>(steps);
    all.addAll(more);
    return new Plan(all);
  }

  /** This plan, then {@code more}. */
  public Plan then(Step... more) {
    return then(List.of(more));
  }

  /** The container run this plan ends in, if it runs one. */
  public Optional<RunSpec> run() {
    return steps.stream()
        .filter(Step.Run.class::isInstance)
        .map(step -> ((Step.Run) step).spec())
        .findFirst();
  }

  /**
   * The steps before the container run: what must be done on this machine before it. A pull is not:
   * it belongs to the machine that runs the container, whose run pulls as it needs.
   */
  public Plan beforeRun() {
    List<Step> before = new ArrayList<>();
    for (Step step : steps) {
      if (step instanceof Step.Run) {
        break;
      }
      if (!(step instanceof Step.Pull)) {
        before.add(step);
      }
    }
    return new Plan(before);
  }
}
