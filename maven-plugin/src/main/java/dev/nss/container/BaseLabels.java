package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A plan's builds with the labels {@value #NAME_LABEL}, the base image of the target stage as the
 * Dockerfile names it with the build args expanded ({@link BaseImage}), and {@value #DIGEST_LABEL},
 * the digest under which the engine knows that image in its repository, asked before the build with
 * one {@code image inspect}. Both are omitted, with a line in the log, where the base cannot be
 * told from the Dockerfile; the digest alone where the base is not in the engine's store yet (the
 * build pulls it: the next build gets the label) or the engine knows no digest for it in that
 * repository (an image imported or built here, on docker). Either replaces a Dockerfile {@code
 * LABEL} of the same key.
 *
 * <p>As {@code --label}s these cost the build no step: a {@code LABEL} built from build args would
 * be an {@code ARG} step, which buildah never takes from a registry cache.
 */
final class BaseLabels {

  static final String DIGEST_LABEL = "org.opencontainers.image.base.digest";

  static final String NAME_LABEL = "org.opencontainers.image.base.name";

  /** {@code json} of an absent list prints {@code null} on docker, {@code []} on podman. */
  static final String FORMAT = "{{json .RepoDigests}}";

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final ContainerCli cli;
  private final Consumer<String> log;

  BaseLabels(ContainerCli cli, Consumer<String> log) {
    this.cli = cli;
    this.log = log;
  }

  /**
   * @throws CommandFailedException when the engine did not answer the question within its limit
   */
  Plan adapt(Plan plan) throws CommandFailedException {
    Map<BuildSpec, BuildSpec> labelled = new HashMap<>();
    List<Step> steps = new ArrayList<>();
    for (Step step : plan.steps()) {
      if (step instanceof Step.Build build) {
        steps.add(new Step.Build(labelled(labelled, build.spec())));
      } else if (step instanceof Step.Relabel relabel) {
        steps.add(new Step.Relabel(labelled(labelled, relabel.spec())));
      } else {
        steps.add(step);
      }
    }
    return new Plan(steps);
  }

  private BuildSpec labelled(Map<BuildSpec, BuildSpec> done, BuildSpec spec)
      throws CommandFailedException {
    BuildSpec result = done.get(spec);
    if (result == null) {
      result = adapt(spec);
      done.put(spec, result);
    }
    return result;
  }

  BuildSpec adapt(BuildSpec spec) throws CommandFailedException {
    Optional<String> base = base(spec.inputs(), spec.target());
    if (base.isPresent() && base.get().equalsIgnoreCase(BaseImage.SCRATCH)) {
      return spec;
    }
    if (base.isEmpty()) {
      log.accept(
          "No "
              + NAME_LABEL
              + " or "
              + DIGEST_LABEL
              + " label: the base image of "
              + spec.inputs().dockerfile().getFileName()
              + " cannot be told from its FROM line.");
      return spec;
    }
    BuildInputs in = spec.inputs().withLabel(NAME_LABEL, base.get());
    Optional<String> digest = digest(spec.cli(), base.get());
    if (digest.isPresent()) {
      in = in.withLabel(DIGEST_LABEL, digest.get());
    }
    return new BuildSpec(
        spec.cli(),
        spec.platform(),
        spec.tag(),
        spec.target(),
        in,
        spec.stageAgent(),
        spec.cache());
  }

  /**
   * {@code in} with the label {@value #NAME_LABEL} where the base of {@code target} can be told:
   * what a multi-platform build gets (each platform's base has its own digest).
   */
  static BuildInputs named(BuildInputs in, String target) {
    Optional<String> base = base(in, target);
    return base.isEmpty() || base.get().equalsIgnoreCase(BaseImage.SCRATCH)
        ? in
        : in.withLabel(NAME_LABEL, base.get());
  }

  /** {@link BaseImage#SCRATCH} also where the target stage is missing: the build names that. */
  private static Optional<String> base(BuildInputs in, String target) {
    try {
      String text =
          in.bundledDockerfile()
              ? BundledContainers.text(in.dockerfile().getFileName().toString())
              : Files.readString(in.dockerfile(), StandardCharsets.UTF_8);
      if (!BaseImage.hasStage(text, target)) {
        return Optional.of(BaseImage.SCRATCH);
      }
      return BaseImage.of(text, target, in.buildArgs());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<String> digest(String cliName, String base) throws CommandFailedException {
    int at = base.indexOf("@sha256:");
    if (at > 0) {
      return Optional.of(base.substring(at + 1)); // pinned in the Dockerfile: that is the digest
    }
    String output;
    try {
      output = cli.query(List.of(cliName, "image", "inspect", "--format", FORMAT, base));
    } catch (CommandFailedException e) {
      if (e.unanswered()) {
        throw e; // a hung engine: the build would hang too
      }
      log.accept(
          "No "
              + DIGEST_LABEL
              + " label: the base image "
              + base
              + " is not in the engine's store before the build (pull it first for the label).");
      return Optional.empty();
    }
    List<String> digests = inRepository(output, base);
    if (digests.size() > 1) {
      // podman keeps a digest per manifest form it has stored (pushed from here, then pulled):
      // which one the registry serves cannot be told from the store.
      log.accept(
          "No "
              + DIGEST_LABEL
              + " label: the engine knows "
              + digests.size()
              + " digests of the base image "
              + base
              + " in its repository and cannot tell which one its registry serves.");
      return Optional.empty();
    }
    if (digests.isEmpty()) {
      log.accept(
          "No "
              + DIGEST_LABEL
              + " label: the engine knows no digest of the base image "
              + base
              + " in its repository (an image imported or built on this machine has none).");
      return Optional.empty();
    }
    return Optional.of(digests.get(0));
  }

  /**
   * The digest in {@code repoDigests} (the JSON list of {@code REPOSITORY@DIGEST}) whose repository
   * is the base's.
   */
  static List<String> inRepository(String repoDigests, String base) {
    Object parsed;
    try {
      parsed = Json.parse(repoDigests.strip());
    } catch (RuntimeException e) {
      return List.of();
    }
    if (!(parsed instanceof List<?> list)) {
      return List.of();
    }
    String repository = canonical(repository(base));
    Set<String> found = new LinkedHashSet<>();
    for (Object entry : list) {
      if (entry instanceof String s && s.contains("@")) {
        String digest = s.substring(s.indexOf('@') + 1);
        if (DIGEST.matcher(digest).matches()
            && matches(canonical(s.substring(0, s.indexOf('@'))), repository)) {
          found.add(digest);
        }
      }
    }
    return List.copyOf(found);
  }

  /** podman names an unqualified local image {@code localhost/NAME}. */
  private static boolean matches(String entry, String base) {
    return entry.equals(base)
        || base.startsWith("docker.io/")
            && entry.equals("localhost/" + base.substring("docker.io/".length()))
        || base.startsWith("docker.io/library/")
            && entry.equals("localhost/" + base.substring("docker.io/library/".length()));
  }

  /** The reference without its tag. */
  static String repository(String reference) {
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    return colon > slash ? reference.substring(0, colon) : reference;
  }

  /** A repository with the default registry and namespace written out, as podman writes it. */
  static String canonical(String repository) {
    int slash = repository.indexOf('/');
    String first = slash < 0 ? "" : repository.substring(0, slash);
    if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
      return normalDockerHub(repository);
    }
    return repository.contains("/") ? "docker.io/" + repository : "docker.io/library/" + repository;
  }

  private static String normalDockerHub(String repository) {
    if (repository.startsWith("index.docker.io/")) {
      repository = "docker.io/" + repository.substring("index.docker.io/".length());
    }
    if (repository.startsWith("docker.io/") && repository.indexOf('/', 10) < 0) {
      return "docker.io/library/" + repository.substring(10);
    }
    return repository;
  }
}
