package dev.nss.entrypoint;

import java.io.PrintStream;
import java.nio.file.Path;

/** Names and texts for the errno values execv(2) can return on Linux. */
final class Errno {
  private Errno() {}

  /**
   * Says why execv returned (it returns only when it failed); the status for the agent to exit
   * with.
   */
  static int failure(Path program, int rc, int errno, PrintStream err) {
    err.println(
        Messages.PREFIX
            + "ERROR: execv "
            + program
            + " failed (rc "
            + rc
            + "): "
            + describe(errno)
            + ". Fix: check that "
            + program
            + " is a valid executable for this platform (a script needs a #! line)");
    return TargetResolver.NOT_EXECUTABLE;
  }

  static String describe(int errno) {
    switch (errno) {
      case 1:
        return "EPERM (Operation not permitted)";
      case 2:
        return "ENOENT (No such file or directory)";
      case 5:
        return "EIO (Input/output error)";
      case 7:
        return "E2BIG (Argument list too long)";
      case 8:
        return "ENOEXEC (Exec format error)";
      case 12:
        return "ENOMEM (Cannot allocate memory)";
      case 13:
        return "EACCES (Permission denied)";
      case 14:
        return "EFAULT (Bad address)";
      case 20:
        return "ENOTDIR (Not a directory)";
      case 21:
        return "EISDIR (Is a directory)";
      case 22:
        return "EINVAL (Invalid argument)";
      case 23:
        return "ENFILE (Too many open files in system)";
      case 24:
        return "EMFILE (Too many open files)";
      case 26:
        return "ETXTBSY (Text file busy)";
      case 36:
        return "ENAMETOOLONG (File name too long)";
      case 40:
        return "ELOOP (Too many levels of symbolic links)";
      case 11:
        return "EAGAIN (Resource temporarily unavailable)";
      default:
        return "errno " + errno;
    }
  }
}
