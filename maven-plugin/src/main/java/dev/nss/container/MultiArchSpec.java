package dev.nss.container;

/**
 * A checked multi-platform build pushed to a registry.
 *
 * @param stage the Dockerfile stage
 * @param builder a buildx builder name, or null for the current one
 * @param platforms comma-separated {@code os/arch[/variant]}
 * @param cache the registry caches and {@code --no-cache}
 */
public record MultiArchSpec(
    String cli,
    String builder,
    String platforms,
    RegistryTarget destination,
    String stage,
    BuildInputs inputs,
    BuildCache cache) {}
