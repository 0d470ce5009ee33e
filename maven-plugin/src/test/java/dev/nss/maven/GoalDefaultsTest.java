package dev.nss.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.PropertyNames;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.descriptor.PluginDescriptorBuilder;
import org.junit.jupiter.api.Test;

/**
 * What Maven gives a goal's {@code nss.*} parameter when the user sets nothing is the default of
 * {@link PropertyNames}, and the one docs/goals.md documents. Read from the generated plugin
 * descriptor (maven-plugin-plugin writes it from the Mojos' annotations before the tests run), with
 * Maven's own reader, so a literal {@code defaultValue} in a Mojo that drifts from PropertyNames is
 * caught as Maven would apply it.
 */
class GoalDefaultsTest {

  static final Path DESCRIPTOR = Path.of("target", "classes", "META-INF", "maven", "plugin.xml");

  /** A goal's parameter that an {@code nss.*} property sets; {@code defaultValue} null if none. */
  record Setting(String goal, String parameter, String property, String defaultValue) {
    @Override
    public String toString() {
      return "nss:" + goal + " <" + parameter + "> (" + property + ")";
    }
  }

  @Test
  void everyPropertyOfAGoalIsOneOfPropertyNames() throws Exception {
    Set<String> named = PropertyTableTest.properties().keySet();
    List<String> unnamed =
        settings().stream()
            .filter(s -> !named.contains(s.property()))
            .map(Setting::toString)
            .toList();
    assertEquals(List.of(), unnamed, "parameters whose property PropertyNames does not name");
  }

  @Test
  void everyGoalDefaultsToPropertyNamesDefault() throws Exception {
    Map<String, String> defaults = PropertyTableTest.properties();
    assertEquals(
        List.of(),
        disagreements(settings().stream(), "PropertyNames'", s -> defaults.get(s.property())));
  }

  @Test
  void everyGoalDefaultIsTheDocumentedOne() throws Exception {
    Map<String, String> table = PropertyTableTest.table();
    assertEquals(
        List.of(),
        disagreements(
            settings().stream().filter(s -> s.defaultValue() != null),
            "docs/goals.md's",
            s -> PropertyTableTest.documentedDefault(table.get(s.property()))));
  }

  @Test
  void theDescriptorGivesEveryGoalItsSettingsWithAndWithoutDefaults() throws Exception {
    // The checks above see what Maven sees: each goal but help, with a default where it has one ...
    List<Setting> settings = settings();
    Set<String> goals = new TreeSet<>();
    for (MojoDescriptor mojo : descriptor().getMojos()) {
      goals.add(mojo.getGoal());
    }
    goals.remove("help");
    for (String goal : goals) {
      assertTrue(
          settings.contains(
              new Setting(goal, "skip", PropertyNames.SKIP, PropertyNames.SKIP_DEFAULT)),
          goal);
    }
    // ... and none where it has none.
    assertTrue(
        settings.contains(new Setting("run-gpu", "interactive", PropertyNames.INTERACTIVE, null)));
  }

  /** Every parameter of every goal that an {@code nss.*} property sets. */
  static List<Setting> settings() throws Exception {
    List<Setting> settings = new ArrayList<>();
    for (MojoDescriptor mojo : descriptor().getMojos()) {
      for (Parameter parameter : mojo.getParameters()) {
        String expression = parameter.getExpression();
        if (expression != null && expression.startsWith("${nss.") && expression.endsWith("}")) {
          settings.add(
              new Setting(
                  mojo.getGoal(),
                  parameter.getName(),
                  expression.substring(2, expression.length() - 1),
                  parameter.getDefaultValue()));
        }
      }
    }
    return settings;
  }

  private static PluginDescriptor descriptor() throws Exception {
    assertTrue(
        Files.isRegularFile(DESCRIPTOR),
        DESCRIPTOR + " is missing: maven-plugin-plugin writes it (mvn process-classes)");
    try (Reader reader = Files.newBufferedReader(DESCRIPTOR, StandardCharsets.UTF_8)) {
      return new PluginDescriptorBuilder().build(reader);
    }
  }

  /** The settings whose default is not the one {@code source} gives, each with both. */
  private static List<String> disagreements(
      Stream<Setting> settings, String source, Function<Setting, String> expected) {
    return settings
        .filter(s -> !Objects.equals(s.defaultValue(), expected.apply(s)))
        .map(
            s ->
                s
                    + ": the Mojo's default "
                    + quoted(s.defaultValue())
                    + ", "
                    + source
                    + " "
                    + quoted(expected.apply(s)))
        .toList();
  }

  private static String quoted(String value) {
    return value == null ? "(none)" : "'" + value + "'";
  }
}
