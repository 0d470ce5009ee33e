package dev.nss.it;

import java.util.Map;

/**
 * The pom of the sample project: this reactor's plugin with the given project properties, {@code
 * <buildArgs>} and any further {@code <configuration>} elements. Shared by {@link SampleProject}
 * and the reliability ITs.
 */
public final class SamplePom {

  /**
   * Build args that point the Dockerfiles at the stand-ins made by it/stand-ins/make-stand-ins.sh.
   */
  public static final Map<String, String> STAND_IN_BUILD_ARGS =
      Map.of(
          "CUDA_IMAGE_REPO", "nss-it.local/cuda",
          "UV_IMAGE", "nss-it.local/uv",
          "NSS_JDK_IMAGE", "nss-it.local/jdk:25",
          "PYTHON_IMAGE", "nss-it.local/python:3.11-slim");

  private SamplePom() {}

  /**
   * The pom text. {@code extraConfiguration} goes after {@code </buildArgs>} as it is: whole lines
   * indented by ten spaces, each ending in a newline, or empty.
   */
  public static String render(
      Map<String, String> properties, Map<String, String> buildArgs, String extraConfiguration) {
    StringBuilder props = new StringBuilder();
    properties.forEach(
        (k, v) ->
            props
                .append("    <")
                .append(k)
                .append('>')
                .append(xml(v))
                .append("</")
                .append(k)
                .append(">\n"));
    StringBuilder args = new StringBuilder();
    buildArgs.forEach(
        (k, v) ->
            args.append("            <")
                .append(k)
                .append('>')
                .append(xml(v))
                .append("</")
                .append(k)
                .append(">\n"));
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>dev.nss.it</groupId>
          <artifactId>safe-synthesizer</artifactId>
          <version>0.1.0</version>
          <packaging>pom</packaging>
          <properties>
        %s  </properties>
          <build>
            <plugins>
              <plugin>
                <groupId>dev.nss</groupId>
                <artifactId>nss-maven-plugin</artifactId>
                <version>%s</version>
                <configuration>
                  <buildArgs>
        %s          </buildArgs>
        %s        </configuration>
              </plugin>
            </plugins>
          </build>
        </project>
        """
        .formatted(props, ItEnv.version(), args, extraConfiguration);
  }

  /**
   * XML text with every control character as a character reference (XML parsers turn a raw CR into
   * LF).
   */
  public static String xml(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                default -> {
                  if (c < 0x20 || c == 0x7f) {
                    b.append("&#").append(c).append(';');
                  } else {
                    b.appendCodePoint(c);
                  }
                }
              }
            });
    return b.toString();
  }
}
