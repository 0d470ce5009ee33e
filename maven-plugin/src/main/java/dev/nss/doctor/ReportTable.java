package dev.nss.doctor;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * The report as aligned lines: mark, id, value, and an indented {@code fix:} line under each
 * problem.
 */
public final class ReportTable {

  private ReportTable() {}

  public static List<String> lines(DoctorReport report, boolean unicode) {
    int width = 0;
    for (CheckResult r : report.results()) {
      width = Math.max(width, r.id().length());
    }
    List<String> lines = new ArrayList<>();
    int markWidth = unicode ? 1 : 2;
    String indent = " ".repeat(markWidth + 2 + width + 2);
    for (CheckResult r : report.results()) {
      String mark = r.status().symbol(unicode);
      lines.add(pad(mark, markWidth) + "  " + pad(r.id(), width) + "  " + r.finding().value());
      if (!r.finding().fix().isEmpty()) {
        lines.add(indent + "fix: " + r.finding().fix());
      }
    }
    lines.add(report.summary());
    return lines;
  }

  /**
   * The heading that names the CLI, then {@link #lines} with ✓ and ✗ where the console can show
   * them.
   */
  public static List<String> console(DoctorReport report) {
    List<String> lines = new ArrayList<>();
    lines.add("nss doctor (container CLI: " + report.cli() + ")");
    lines.addAll(lines(report, consoleSupportsUnicode()));
    return lines;
  }

  /**
   * Whether the console can show ✓ and ✗ (Maven and {@code java} write in the platform's stdout
   * encoding).
   */
  public static boolean consoleSupportsUnicode() {
    String encoding =
        System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
    try {
      Charset charset = encoding == null ? Charset.defaultCharset() : Charset.forName(encoding);
      return charset.newEncoder().canEncode("✓✗");
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
