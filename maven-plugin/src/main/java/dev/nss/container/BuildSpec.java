package dev.nss.container;

/**
 * A checked single-platform image build.
 *
 * @param target the Dockerfile stage, or null for the last one
 * @param stageAgent true when the agent jar must be staged into the context
 * @param cache the registry caches and {@code --no-cache}
 */
public record BuildSpec(
    String cli,
    String platform,
    String tag,
    String target,
    BuildInputs inputs,
    boolean stageAgent,
    BuildCache cache) {}
