package dev.nss.entrypoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The NSS_PREFLIGHT_REPORT file: JSON written by hand, as the agent has no dependencies. */
final class Report {
  private Report() {}

  static void write(Path file, String mode, String skipped, String target, List<Finding> findings)
      throws IOException {
    Files.write(file, json(mode, skipped, target, findings).getBytes(StandardCharsets.UTF_8));
  }

  static String json(String mode, String skipped, String target, List<Finding> findings) {
    StringBuilder out = new StringBuilder(256 + findings.size() * 256);
    out.append("{\n  \"mode\": ");
    string(out, mode);
    out.append(",\n  \"skipped\": ");
    if (skipped == null) {
      out.append("null");
    } else {
      string(out, skipped);
    }
    out.append(",\n  \"target\": ");
    string(out, target);
    out.append(",\n  \"checks\": [");
    for (int i = 0; i < findings.size(); i++) {
      Finding f = findings.get(i);
      out.append(i == 0 ? "\n    {\"id\": " : ",\n    {\"id\": ");
      string(out, f.id);
      out.append(", \"level\": ");
      string(out, f.level.name());
      out.append(", \"message\": ");
      string(out, f.message);
      out.append(", \"durationMs\": ");
      millis(out, f.durationNanos);
      out.append('}');
    }
    out.append(findings.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
    return out.toString();
  }

  static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Milliseconds with three decimals, without String.format (slow to start). */
  static void millis(StringBuilder out, long nanos) {
    long micros = Math.max(0, nanos) / 1000;
    long fraction = micros % 1000;
    out.append(micros / 1000).append('.');
    if (fraction < 100) {
      out.append('0');
    }
    if (fraction < 10) {
      out.append('0');
    }
    out.append(fraction);
  }
}
