package dev.nss.container;

import dev.nss.core.CommandFailedException;
import dev.nss.core.InvalidSettingException;
import dev.nss.core.PropertyNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * build-gpu, build-gpu-dev and build-test with {@code nss.registryServerId}: the registry of {@code
 * nss.cacheFrom} / {@code nss.cacheTo} is logged in to the way push-gpu logs in ({@code
 * --password-stdin} into a private {@link RegistrySession}, logged out and deleted afterwards), and
 * the plan's builds and cache pushes run with that session. The session starts with the user's own
 * logins (see {@link SessionLogins}), so that base images still pull as before.
 */
public final class CacheLogin {

  private CacheLogin() {}

  /**
   * Runs {@code plan}, logged in to its cache registry when {@code credentials} are given.
   *
   * @param runners the goal's plan runner through a given CLI (the session's, when logged in)
   * @param userDockerConfig the user's docker config directory
   */
  public static void run(
      Plan plan,
      ContainerCli cli,
      Function<ContainerCli, PlanRunner> runners,
      RegistryCredentials credentials,
      Map<String, String> environment,
      Consumer<String> log)
      throws InvalidSettingException, CommandFailedException {
    if (credentials == null) {
      runners.apply(cli).run(plan);
      return;
    }
    BuildSpec spec = firstBuild(plan);
    BuildCache cache = spec == null ? BuildCache.NONE : spec.cache();
    String server = server(cache.references());
    if (server == null) {
      log.accept(
          "[WARNING] "
              + PropertyNames.REGISTRY_SERVER_ID
              + " is set but the build has no "
              + PropertyNames.CACHE_FROM
              + " / "
              + PropertyNames.CACHE_TO
              + ": no login");
      runners.apply(cli).run(plan);
      return;
    }
    String engine = spec.cli();
    runners.apply(cli).check(plan); // what can fail without the engine, before the login
    try (RegistrySession session = RegistrySession.create(cli.dryRun(), cli.shutdownHooks())) {
      Map<String, String> env =
          session.loginEnvironment(engine, Publishing.userDockerConfig(environment));
      if (!cli.dryRun()) {
        SessionLogins.seed(engine, session.dir(), environment, server);
      }
      ContainerCli loggedIn = cli.withEnvironment(env);
      login(loggedIn, engine, server, cache.insecure(), credentials);
      try {
        runners.apply(loggedIn).run(plan);
      } finally {
        loggedIn.probe(RegistryCommands.logout(engine, server));
      }
    }
  }

  /**
   * The one registry host of the cache references; null when there are none. The credentials are
   * for one registry: references on several hosts are refused, so that the password never reaches a
   * host it was not meant for.
   */
  static String server(List<String> references) throws InvalidSettingException {
    TreeSet<String> hosts = new TreeSet<>();
    for (String ref : references) {
      hosts.add(ref.substring(0, ref.indexOf('/')));
    }
    if (hosts.size() > 1) {
      throw new InvalidSettingException(
          PropertyNames.REGISTRY_SERVER_ID,
          "logs in to one registry, but "
              + PropertyNames.CACHE_FROM
              + " / "
              + PropertyNames.CACHE_TO
              + " name "
              + String.join(", ", hosts),
          "Keep the build caches in one registry, or unset "
              + PropertyNames.REGISTRY_SERVER_ID
              + " and log in to each with the engine's own login.");
    }
    return hosts.isEmpty() ? null : hosts.first();
  }

  private static BuildSpec firstBuild(Plan plan) {
    for (Step step : plan.steps()) {
      if (step instanceof Step.Build build) {
        return build.spec();
      }
    }
    return null;
  }

  private static void login(
      ContainerCli cli,
      String engine,
      String server,
      boolean insecure,
      RegistryCredentials credentials)
      throws CommandFailedException {
    List<String> argv = RegistryCommands.login(engine, credentials.username(), server, insecure);
    try {
      cli.withStdin(argv, credentials.password().getBytes(StandardCharsets.UTF_8));
    } catch (CommandFailedException e) {
      throw credentials.loginFailed("the build cache registry " + server, "built", e);
    }
  }
}
