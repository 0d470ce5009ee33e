package dev.nss.doctor;

import dev.nss.core.CommandRunner;
import dev.nss.core.InvalidSettingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * A fake host in a temp dir: a {@code bin/} on PATH with empty executables standing in for CLIs, a
 * file system root for {@code /proc}, {@code /dev/shm}, {@code /etc/cdi}, a {@code HOME} (so the
 * user's cache dir is {@code home/.cache/nss}), a fixed clock, and the fake runner and hardware.
 */
public final class TestHost {

  public final Path dir;
  public final Path root;
  public final Path bin;
  public final Map<String, String> env = new HashMap<>();
  public final FakeCommandRunner runner = new FakeCommandRunner();
  public HostHardware hardware = FakeHardware.none();

  /** {@link #NOW} unless a test moves it. */
  public Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  public static final Instant NOW = Instant.parse("2026-12-05T10:15:30Z");

  public TestHost(Path dir) {
    this.dir = dir;
    this.root = dir.resolve("root");
    this.bin = dir.resolve("bin");
    try {
      Files.createDirectories(root.resolve("dev/shm"));
      Files.createDirectories(bin);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("PATH", bin.toString());
    env.put("HOME", dir.resolve("home").toString());
  }

  /** Puts an (empty) executable called {@code name} on PATH and returns it. */
  public Path program(String name) {
    return executable(bin.resolve(name));
  }

  /** Creates an empty executable at an absolute host path under the root. */
  public Path hostProgram(String absolute) {
    return executable(root.resolve(absolute.substring(1)));
  }

  public Path hostFile(String absolute, String content) {
    Path file = root.resolve(absolute.substring(1));
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  public DoctorEnvironment environment() {
    return environment(runner);
  }

  /** This host with another command runner, e.g. one that answers some commands itself. */
  public DoctorEnvironment environment(CommandRunner commands) {
    return new DoctorEnvironment(env, commands, hardware, root, dir, clock);
  }

  /** Settings with the HF cache inside the temp dir and the given overrides applied. */
  public DoctorSettings.Builder settings() {
    return DoctorSettings.builder().hfCache(dir.resolve("hf-cache").toString());
  }

  public CheckContext context(DoctorSettings settings) {
    return new CheckContext(settings, environment());
  }

  /** Where the doctor keeps its probe results on this host. */
  public Path probeCache() {
    return dir.resolve("home/.cache/nss/doctor-probes.json");
  }

  public CheckContext context() {
    try {
      return context(settings().build());
    } catch (InvalidSettingException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A docker on PATH whose {@code info} prints the captured output of the 20.10 client against the
   * 20.10 engine.
   */
  public TestHost dockerWithCapturedInfo() {
    return withInfo("docker", FakeCommandRunner.resource("docker/info-client-20.10.json"));
  }

  /** A podman on PATH whose {@code info} prints the hand-written output of a Podman 4.3. */
  public TestHost podmanWithInfo() {
    return withInfo("podman", FakeCommandRunner.resource("podman/info-handwritten-4.3.json"));
  }

  /** The CLI {@code cli} on PATH, whose {@code info} exits 0 printing {@code json}. */
  public TestHost withInfo(String cli, String json) {
    program(cli);
    runner.answer(cli + " info --format {{json .}}", 0, json, "");
    return this;
  }

  private static Path executable(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
