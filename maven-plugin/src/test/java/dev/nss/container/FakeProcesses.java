package dev.nss.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The test seam: records every argv and runs a small sh script in its place (exit 0 unless told
 * otherwise; a {@code create} prints the id {@code id-<name>}). A run's keeper runs for real around
 * its fake create ({@link RealKeeper}); the create is what is recorded.
 */
final class FakeProcesses implements Function<List<String>, ProcessBuilder> {

  final List<List<String>> calls = new ArrayList<>();
  final List<ProcessBuilder> builders = new ArrayList<>();
  private final Map<String, String> scripts = new LinkedHashMap<>();

  /**
   * When an argv's second word (the verb) is {@code verb}, run {@code script} instead of exiting 0;
   * the script gets the CLI as {@code $0} and the arguments as {@code $1...}.
   */
  FakeProcesses on(String verb, String script) {
    scripts.put(verb, script);
    return this;
  }

  /** A run's keeper runs for real, around a fake create. */
  private final Function<List<String>, ProcessBuilder> seam = RealKeeper.around(this::fake);

  @Override
  public ProcessBuilder apply(List<String> argv) {
    return seam.apply(argv);
  }

  private synchronized ProcessBuilder fake(List<String> argv) {
    calls.add(List.copyOf(argv));
    String verb = argv.size() > 1 ? argv.get(1) : "";
    String script =
        scripts.getOrDefault(verb, verb.equals("create") ? "echo " + id(argv) : "exit 0");
    List<String> shell = new ArrayList<>(List.of("sh", "-c", script));
    shell.addAll(argv); // the script sees the CLI as $0 and its arguments as $1...
    ProcessBuilder pb = new ProcessBuilder(shell);
    builders.add(pb);
    return pb;
  }

  /** The id a fake {@code create} prints: {@code id-} and the container's name. */
  static String id(List<String> createArgv) {
    return "id-" + createArgv.get(createArgv.indexOf("--name") + 1);
  }

  synchronized List<List<String>> verbs(String verb) {
    List<List<String>> matching = new ArrayList<>();
    for (List<String> call : calls) {
      if (call.size() > 1 && call.get(1).equals(verb)) {
        matching.add(call);
      }
    }
    return matching;
  }
}
