package dev.nss.container;

import java.nio.file.Path;
import java.util.List;

/**
 * A checked {@code run} of a built image.
 *
 * @param platform the platform, or null to leave it out
 * @param shmSize the shared-memory size, or null to leave it out
 * @param userFlags the flags that choose the container's user ({@code nss.user}), possibly none
 * @param userFlagsIfRootless the flags instead of {@code userFlags} should docker turn out to be
 *     rootless (asked in planning: {@link EngineUser}); null when the answer changes nothing
 * @param hfCache the host directory mounted at /workspace/.hf_cache, or null for none
 * @param passEnv names of Maven's environment variables passed by name only (never their values)
 * @param entrypoint the {@code --entrypoint} override, or null for the image's
 */
public record RunSpec(
    String cli,
    String name,
    boolean interactive,
    String platform,
    String shmSize,
    List<String> userFlags,
    List<String> userFlagsIfRootless,
    Path workspace,
    Path hfCache,
    List<String> passEnv,
    List<String> gpuFlags,
    List<String> extraMounts,
    String entrypoint,
    String image,
    List<String> cmd) {

  /** The same run with other user flags, the engine's mode settled. */
  public RunSpec withUserFlags(List<String> flags) {
    return new RunSpec(
        cli,
        name,
        interactive,
        platform,
        shmSize,
        List.copyOf(flags),
        null,
        workspace,
        hfCache,
        passEnv,
        gpuFlags,
        extraMounts,
        entrypoint,
        image,
        cmd);
  }

  /** The same run with other GPU flags. */
  public RunSpec withGpuFlags(List<String> flags) {
    return new RunSpec(
        cli,
        name,
        interactive,
        platform,
        shmSize,
        userFlags,
        userFlagsIfRootless,
        workspace,
        hfCache,
        passEnv,
        List.copyOf(flags),
        extraMounts,
        entrypoint,
        image,
        cmd);
  }

  /** The same run with a terminal, bash as its entrypoint and {@code bashArgs} as bash's. */
  public RunSpec forShell(List<String> bashArgs) {
    return new RunSpec(
        cli,
        name,
        true,
        platform,
        shmSize,
        userFlags,
        userFlagsIfRootless,
        workspace,
        hfCache,
        passEnv,
        gpuFlags,
        extraMounts,
        "/bin/bash",
        image,
        List.copyOf(bashArgs));
  }
}
