package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import dev.nss.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/** The steps of build-gpu, build-gpu-dev and build-test. */
public final class ImageBuilds {

  private ImageBuilds() {}

  /** build-gpu ({@code dev} false: the runtime stage) and build-gpu-dev (the dev stage). */
  public static Plan gpu(GoalSettings settings, boolean dev) throws InvalidSettingException {
    return new Plan(steps(GoalSpecs.gpuBuild(settings, dev)));
  }

  /** build-test: the CPU test image. */
  public static Plan test(GoalSettings settings) throws InvalidSettingException {
    return new Plan(steps(GoalSpecs.testBuild(settings)));
  }

  /**
   * The build, then on podman its relabelling (see {@link Step.Relabel}) where it has labels, and
   * on docker the push of the inline cache (see {@link BuildCache}) where {@code nss.cacheTo} is
   * set.
   */
  static List<Step> steps(BuildSpec spec) {
    List<Step> steps = new ArrayList<>();
    steps.add(new Step.Build(spec));
    if (Engine.isPodman(spec.cli()) && spec.target() != null && !spec.inputs().labels().isEmpty()) {
      steps.add(new Step.Relabel(spec));
    }
    if (spec.cache().pushesInline(spec.cli())) {
      steps.add(new Step.PushCache(spec));
    }
    return steps;
  }
}
