package dev.nss.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nss.core.PropertyNames;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/goals.md's settings table lists exactly the properties of {@link PropertyNames}, with their
 * defaults.
 */
class PropertyTableTest {

  private static final Path GOALS_MD = Path.of("..", "docs", "goals.md");
  private static final Pattern PROPERTY = Pattern.compile("`(nss\\.[A-Za-z.]+)`");
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]*)`");

  @Test
  void theTableListsEveryPropertyAndNoOther() throws Exception {
    assertEquals(properties().keySet(), table().keySet());
  }

  @Test
  void theTableGivesEachDefault() throws Exception {
    Map<String, String> table = table();
    properties()
        .forEach(
            (name, value) -> {
              if (value != null) {
                String cell = table.get(name);
                assertTrue(
                    cell != null && cell.contains("`" + value + "`"),
                    name
                        + ": docs/goals.md gives the default '"
                        + cell
                        + "', PropertyNames '"
                        + value
                        + "'");
              }
            });
  }

  /**
   * Property name to its {@code _DEFAULT} value (null when it has none), read from the constants.
   */
  static Map<String, String> properties() throws IllegalAccessException {
    Map<String, String> byName = new TreeMap<>();
    for (Field field : PropertyNames.class.getFields()) {
      Object value = field.get(null);
      if (Modifier.isStatic(field.getModifiers())
          && value instanceof String name
          && name.startsWith("nss.")) {
        String defaultValue = null;
        try {
          defaultValue =
              (String) PropertyNames.class.getField(field.getName() + "_DEFAULT").get(null);
        } catch (NoSuchFieldException none) {
          // a property without a fixed default
        }
        byName.put(name, defaultValue);
      }
    }
    return byName;
  }

  /**
   * The default a Default cell gives: the text of its code span when that is all the cell holds,
   * else the cell as it is (a description such as "(none)", or a default with more words).
   */
  static String documentedDefault(String cell) {
    Matcher code = CODE_SPAN.matcher(cell == null ? "" : cell);
    return code.matches() ? code.group(1) : cell;
  }

  /**
   * Property name to the text of its Default column, for every table row whose first cell names
   * properties.
   */
  static Map<String, String> table() throws IOException {
    Map<String, String> byName = new TreeMap<>();
    for (String line : Files.readAllLines(GOALS_MD)) {
      if (!line.startsWith("| `nss.")) {
        continue;
      }
      String[] cells = line.split("\\|");
      Matcher names = PROPERTY.matcher(cells[1]);
      while (names.find()) {
        byName.put(names.group(1), cells[3].strip());
      }
    }
    return byName;
  }
}
