package dev.nss.maven;

import com.sun.security.auth.module.UnixSystem;

/** The uid and gid of the user running Maven; -1 where the JDK cannot tell (not a POSIX host). */
final class HostUser {

  private HostUser() {}

  static long uid() {
    try {
      return new UnixSystem().getUid();
    } catch (LinkageError | RuntimeException e) {
      return -1;
    }
  }

  static long gid() {
    try {
      return new UnixSystem().getGid();
    } catch (LinkageError | RuntimeException e) {
      return -1;
    }
  }
}
