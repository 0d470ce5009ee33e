package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code nss.user}: who the program runs as, so that what it writes under /workspace and the HF
 * cache belongs to the user who ran Maven, and never a privileged root.
 *
 * <ul>
 *   <li>{@code auto} (default): a non-root user U on a rootful engine runs as {@code --user U:G} (a
 *       bind mount keeps the host's numbers, so the files are U's); on rootless podman (podman run
 *       by U) also {@code --userns=keep-id}, which maps U to itself. Root on a rootful engine runs
 *       as uid 0, the owner of its project and HF cache, but with no capabilities and {@code
 *       no-new-privileges} ({@link #UNPRIVILEGED_ROOT}): it writes what root owns by its permission
 *       bits and nothing else. On rootless docker the container's root is the host user, so anyone
 *       runs as that unprivileged root (the engine's mode is asked in planning: {@link
 *       EngineUser}).
 *   <li>{@code image}: no flag, the image's own user ({@code appuser}, uid 1000, in the GPU
 *       images).
 *   <li>{@code UID:GID}: that user, as given.
 * </ul>
 *
 * <p>A uid the image does not know has no home: docker and podman then set {@code HOME=/}, which it
 * cannot write, and torch, triton and uv keep their caches under {@code $HOME}. Any non-root uid
 * therefore gets {@code -e HOME=/tmp}, which exists and is writable for every user in every image
 * (root keeps {@code /root}).
 */
final class UserFlags {

  static final String HOME = "/tmp";

  /** The container's root without capabilities, unable to gain any. */
  static final List<String> UNPRIVILEGED_ROOT =
      List.of("--user", "0:0", "--cap-drop=ALL", "--security-opt=no-new-privileges");

  private static final Pattern IDS = Pattern.compile("(\\d{1,10}):(\\d{1,10})");

  private UserFlags() {}

  /** The flags on a rootful engine, or on podman in the mode its user implies. */
  static List<String> of(String cli, GoalSettings s) throws InvalidSettingException {
    String value = value(s);
    if (value.equals("image")) {
      return List.of();
    }
    List<String> flags = new ArrayList<>();
    long uid;
    if (value.equals("auto")) {
      if (s.hostUid < 0 || s.hostGid < 0) {
        return List.of(); // not a POSIX host: the engine's VM maps file ownership itself
      }
      uid = s.hostUid;
      if (uid == 0) {
        return UNPRIVILEGED_ROOT;
      }
      if (Engine.isPodman(cli)) {
        flags.add("--userns=keep-id");
      }
      flags.add("--user");
      flags.add(uid + ":" + s.hostGid);
    } else {
      var m = IDS.matcher(value);
      if (!m.matches()) {
        throw new InvalidSettingException(
            PropertyNames.USER,
            "is '" + value + "', not auto, image or UID:GID",
            "Set -Dnss.user=auto (the user running Maven), image (the image's user) or numeric ids such as 1000:1000.");
      }
      uid = Long.parseLong(m.group(1));
      flags.add("--user");
      flags.add(value);
    }
    if (uid != 0) {
      flags.add("-e");
      flags.add("HOME=" + HOME);
    }
    return flags;
  }

  /**
   * The flags should the docker engine be rootless, where its container root is the host user; null
   * when its mode changes nothing (podman, {@code image}, explicit ids, an unknown uid).
   */
  static List<String> ifRootlessDocker(String cli, GoalSettings s) {
    boolean auto = value(s).equals("auto") && s.hostUid >= 0 && s.hostGid >= 0;
    return auto && !Engine.isPodman(cli) ? UNPRIVILEGED_ROOT : null;
  }

  private static String value(GoalSettings s) {
    return s.user == null || s.user.isBlank() ? PropertyNames.USER_DEFAULT : s.user.strip();
  }
}
