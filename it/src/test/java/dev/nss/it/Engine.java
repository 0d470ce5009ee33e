package dev.nss.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A container engine the ITs drive, through its own CLI (argv lists only): docker (BuildKit through
 * the 20.10 client {@code /usr/bin/docker}) or podman. Engine-dependent cases are {@link
 * EngineTest}s and run once per engine of {@link #selected()}; engine-independent ones use {@link
 * #DOCKER} and run once.
 */
public enum Engine {
  DOCKER("/usr/bin/docker", Map.of("DOCKER_BUILDKIT", "1")),
  PODMAN("/usr/bin/podman", Map.of());

  /**
   * Names the engines to test, comma-separated; the system property wins over the environment
   * variable.
   */
  public static final String SELECTION_PROPERTY = "nss.it.engines";

  public static final String SELECTION_ENV = "NSS_IT_ENGINES";

  private static final Map<Engine, Boolean> answers = new EnumMap<>(Engine.class);

  private final String cli;
  private final Map<String, String> env;

  Engine(String cli, Map<String, String> env) {
    this.cli = cli;
    this.env = env;
  }

  /** The CLI's absolute path: what the cases pass as {@code nss.containerCli}. */
  public String cli() {
    return cli;
  }

  /** Environment the CLI needs ({@code DOCKER_BUILDKIT=1} for docker). */
  public Map<String, String> env() {
    return env;
  }

  /**
   * {@code docker} or {@code podman}: display name of a parameterized case, work dir and tag
   * component.
   */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The engines to test: {@code -Dnss.it.engines} or {@code NSS_IT_ENGINES} ({@code docker,podman},
   * either, in any order), default both. An unknown name fails every case that asks.
   */
  public static List<Engine> selected() {
    String value = System.getProperty(SELECTION_PROPERTY);
    if (value == null || value.isBlank()) {
      value = System.getenv(SELECTION_ENV);
    }
    if (value == null || value.isBlank()) {
      return List.of(values());
    }
    List<Engine> engines = new ArrayList<>();
    for (String name : value.split(",")) {
      String n = name.strip().toUpperCase(Locale.ROOT);
      if (n.isEmpty()) {
        continue;
      }
      try {
        Engine e = valueOf(n);
        if (!engines.contains(e)) {
          engines.add(e);
        }
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(
            SELECTION_ENV
                + "/-D"
                + SELECTION_PROPERTY
                + "="
                + value
                + ": unknown engine "
                + name.strip()
                + "; use docker, podman or docker,podman (known: "
                + Arrays.toString(values())
                + ")");
      }
    }
    return engines;
  }

  /**
   * Skips the calling case when this engine does not answer, unless {@code NSS_REQUIRE_ENGINE=1}
   * (CI), which makes that a failure.
   */
  public void require() {
    boolean ok;
    synchronized (answers) {
      ok =
          answers.computeIfAbsent(
              this,
              e ->
                  Files.isExecutable(Path.of(e.cli))
                      && e.run(
                                  "version",
                                  "--format",
                                  e == DOCKER ? "{{.Server.Version}}" : "{{.Version}}")
                              .exitCode()
                          == 0);
    }
    if (!ok) {
      String why =
          cli
              + " cannot reach a container engine: "
              + (this == DOCKER ? "start dockerd" : "install podman")
              + " (see .ci/engine), or leave "
              + this
              + " out of "
              + SELECTION_ENV;
      if ("1".equals(System.getenv("NSS_REQUIRE_ENGINE"))) {
        fail("NSS_REQUIRE_ENGINE=1 but " + why);
      }
      Assumptions.abort(why);
    }
  }

  /** Runs {@code CLI args...} to completion; stdout and stderr are captured separately. */
  public ProcessResult run(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(cli);
    argv.addAll(List.of(args));
    return ProcessResult.of(argv, env);
  }

  public boolean imageExists(String ref) {
    return run("image", "inspect", "--format", "{{.Id}}", ref).exitCode() == 0;
  }

  public boolean containerExists(String name) {
    return run("container", "inspect", "--format", "{{.Id}}", name).exitCode() == 0;
  }

  /** {@code image inspect}, typed (docker and podman print the same fields). */
  public ImageConfig inspect(String ref) {
    ProcessResult result = run("image", "inspect", ref);
    if (result.exitCode() != 0) {
      throw new AssertionError(this + " image inspect " + ref + " failed: " + result.stderr());
    }
    List<?> images = (List<?>) Json.parse(result.stdout());
    return ImageConfig.from((Map<?, ?>) images.get(0));
  }

  /** Removes images this test run made; quiet when they are already gone. */
  public void removeImages(List<String> refs) {
    for (String ref : refs) {
      run("image", "rm", "--force", ref);
    }
  }

  /**
   * Buildah's working containers in podman's store ({@code podman ps --all --external}, state
   * "Storage"), as {@code ID NAME} lines; empty for docker, whose BuildKit keeps none that {@code
   * ps} shows. A build that ends normally removes its own; an interrupted one may leave them.
   */
  public List<String> buildContainers() {
    if (this != PODMAN) {
      return List.of();
    }
    ProcessResult r =
        run("ps", "--all", "--external", "--format", "{{.ID}} {{.Names}} {{.Status}}");
    return r.stdout()
        .lines()
        .filter(l -> l.endsWith(" Storage"))
        .map(l -> l.substring(0, l.length() - " Storage".length()))
        .toList();
  }
}
