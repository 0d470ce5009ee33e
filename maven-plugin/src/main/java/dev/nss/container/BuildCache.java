package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import dev.nss.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * The checked cache settings of a build: registry caches to import ({@code nss.cacheFrom}) and to
 * export ({@code nss.cacheTo}), each a registry reference such as {@code
 * registry.example/team/nss-gpu:buildcache}, and {@code nss.noCache}. How they reach the engine:
 *
 * <ul>
 *   <li>podman (buildah): {@code --cache-from REPO} / {@code --cache-to REPO}, the reference
 *       without its tag, every stage's layers;
 *   <li>docker with buildx (build-gpu-multiarch): {@code --cache-from type=registry,ref=REF} /
 *       {@code --cache-to type=registry,ref=REF,mode=max}, every stage;
 *   <li>docker without buildx: BuildKit's inline cache, the final stage only: {@code --cache-from
 *       REF}, and with {@code nss.cacheTo} {@code --build-arg BUILDKIT_INLINE_CACHE=1} on the
 *       build, whose image is then tagged and pushed as each {@code REF}.
 * </ul>
 *
 * <p>{@code insecure} ({@code nss.registryInsecure}): the cache registry speaks plain HTTP or has
 * an unverifiable certificate. podman gets {@code --tls-verify=false} on a build that has cache
 * references (buildah has no per-cache switch: it applies to the build's base-image pulls too);
 * docker follows the daemon's insecure-registry rules.
 */
public record BuildCache(List<String> from, List<String> to, boolean noCache, boolean insecure) {

  public static final BuildCache NONE = new BuildCache(List.of(), List.of(), false, false);

  /** The build argument that makes BuildKit write the inline cache into the image. */
  static final String INLINE_CACHE_ARG = "BUILDKIT_INLINE_CACHE=1";

  public BuildCache {
    from = List.copyOf(from);
    to = List.copyOf(to);
  }

  /** True when the image must be pushed to the {@link #to} references after the build (docker). */
  boolean pushesInline(String cli) {
    return !to.isEmpty() && !Engine.isPodman(cli);
  }

  /**
   * The cache flags of a single-platform build by {@code cli} ({@code docker build} or podman).
   * podman takes a repository without a tag (buildah tags each entry with its cache key and refuses
   * {@code REPO:TAG}): each reference's repository, once.
   */
  List<String> buildFlags(String cli) {
    List<String> argv = new ArrayList<>();
    if (noCache) {
      argv.add("--no-cache");
    }
    boolean podman = Engine.isPodman(cli);
    if (insecure && podman && !references().isEmpty()) {
      argv.add("--tls-verify=false");
    }
    for (String ref : podman ? repositories(from) : from) {
      argv.add("--cache-from");
      argv.add(ref);
    }
    if (podman) {
      for (String ref : repositories(to)) {
        argv.add("--cache-to");
        argv.add(ref);
      }
    } else if (!to.isEmpty()) {
      argv.add("--build-arg");
      argv.add(INLINE_CACHE_ARG);
    }
    return argv;
  }

  private static List<String> repositories(List<String> refs) {
    return refs.stream().map(GoalSpecs::repositoryName).distinct().toList();
  }

  /** Every cache reference, imported and exported, each once, in order. */
  List<String> references() {
    List<String> all = new ArrayList<>(from);
    to.stream().filter(ref -> !all.contains(ref)).forEach(all::add);
    return all;
  }

  /** The cache flags of {@code docker buildx build}: registry caches of every stage. */
  List<String> buildxFlags() {
    List<String> argv = new ArrayList<>();
    if (noCache) {
      argv.add("--no-cache");
    }
    for (String ref : from) {
      argv.add("--cache-from");
      argv.add("type=registry,ref=" + ref);
    }
    for (String ref : to) {
      argv.add("--cache-to");
      argv.add("type=registry,ref=" + ref + ",mode=max");
    }
    return argv;
  }

  /**
   * Checks {@code nss.cacheFrom} and {@code nss.cacheTo}: every entry a registry reference (with a
   * registry host, as a cache lives in a registry), not an engine-specific {@code type=...} form.
   */
  static BuildCache of(
      List<String> from,
      List<String> to,
      boolean noCache,
      boolean insecure,
      String fromProperty,
      String toProperty)
      throws InvalidSettingException {
    return new BuildCache(
        references(fromProperty, from), references(toProperty, to), noCache, insecure);
  }

  private static List<String> references(String property, List<String> values)
      throws InvalidSettingException {
    List<String> refs = new ArrayList<>();
    for (String raw : values) {
      String value = raw == null ? "" : raw.strip();
      if (value.isEmpty()) {
        continue;
      }
      String example = "-D" + property + "=registry.example/team/nss-gpu:buildcache";
      if (value.contains("=")) {
        throw new InvalidSettingException(
            property,
            "'" + value + "' is an engine-specific cache option, not a registry reference",
            "Give only the reference, e.g. "
                + example
                + " (a comma-separated list for several): nss writes each engine's form");
      }
      String ref = ValueChecks.imageReference(property, value);
      int slash = ref.indexOf('/');
      String host = slash < 0 ? "" : ref.substring(0, slash);
      if (!(host.contains(".") || host.contains(":") || host.equals("localhost"))) {
        throw new InvalidSettingException(
            property,
            "'" + value + "' names no registry host, and a build cache lives in a registry",
            "Use REGISTRY/NAME:TAG, e.g. " + example);
      }
      refs.add(ref);
    }
    return refs;
  }
}
