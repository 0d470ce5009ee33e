package dev.nss.container;

/**
 * A checked multi-platform build pushed to a registry with {@code docker buildx}.
 *
 * @param registry the registry host[:port][/namespace]; the login goes to its host part
 * @param builder a buildx builder name, or null for the current one
 * @param cacheFrom a {@code --cache-from} value, or null
 * @param cacheTo a {@code --cache-to} value, or null
 */
public record MultiArchSpec(
    String cli,
    String builder,
    String platforms,
    String registry,
    String tag,
    String target,
    BuildInputs inputs,
    String cacheFrom,
    String cacheTo) {}
