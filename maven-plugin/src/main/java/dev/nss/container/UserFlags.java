package dev.nss.container;

import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import dev.nss.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code nss.user}: who the program runs as, so that what it writes under /workspace and the HF
 * cache belongs to the user who ran Maven.
 *
 * <ul>
 *   <li>{@code auto} (default): the invoking user's uid:gid ({@code --user UID:GID}); a bind mount
 *       keeps the host's numbers, so the files are that user's, and the user can write the mounts
 *       whatever the image's user is. Rootless podman (podman run by a non-root user) adds {@code
 *       --userns=keep-id}, which maps that uid to itself in the container (without it, the host
 *       user is the container's root and uid 1000 is a subordinate id).
 *   <li>{@code image}: no flag, the image's own user ({@code appuser}, uid 1000, in the runtime
 *       image).
 *   <li>{@code UID:GID}: that user.
 * </ul>
 *
 * <p>A uid the image does not know has no home: docker and podman then set {@code HOME=/}, which it
 * cannot write, and torch, triton and uv keep their caches under {@code $HOME}. Any non-root uid
 * therefore gets {@code -e HOME=/tmp}, which exists and is writable for every user in every image
 * (root keeps {@code /root}).
 */
final class UserFlags {

  static final String HOME = "/tmp";
  private static final Pattern IDS = Pattern.compile("(\\d{1,10}):(\\d{1,10})");

  private UserFlags() {}

  static List<String> of(String cli, GoalSettings s) throws InvalidSettingException {
    String value = s.user == null || s.user.isBlank() ? PropertyNames.USER_DEFAULT : s.user.strip();
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
      if (Engine.isPodman(cli) && uid != 0) {
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
}
