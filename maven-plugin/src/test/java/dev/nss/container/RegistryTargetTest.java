package dev.nss.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryTargetTest {

  @Test
  void aReferenceNamesARegistryWhenItsFirstComponentIsAHost() {
    assertTrue(RegistryTarget.namesRegistry("registry.example/team/app:1"));
    assertTrue(RegistryTarget.namesRegistry("127.0.0.1:5000/app"));
    assertTrue(RegistryTarget.namesRegistry("localhost/app"));
    assertFalse(RegistryTarget.namesRegistry("team/app:1.0"), "a Docker Hub namespace");
    assertFalse(RegistryTarget.namesRegistry("app:1.0"), "a local or Docker Hub image");
    assertFalse(RegistryTarget.namesRegistry("/app.v1"));
  }

  @Test
  void aLoopbackRegistryIsOneDockersDaemonTrustsOverPlainHttp() {
    for (String registry :
        List.of(
            "127.0.0.1:5000", "127.0.0.1:5000/team", "127.4.5.6", "localhost/ns", "[::1]:5000")) {
      assertTrue(target(registry).onLoopback(), registry);
    }
    for (String registry :
        List.of(
            "registry.example:5000",
            "128.0.0.1:5000",
            "127.0.0.1.example:5000",
            "localhost.example/ns",
            "team",
            "10.0.0.1:5000")) {
      assertFalse(target(registry).onLoopback(), registry);
    }
  }

  private static RegistryTarget target(String registry) {
    return new RegistryTarget(registry, registry + "/app", List.of("t"), false);
  }

  @Test
  void credentialsPrintWithoutThePassword() {
    assertEquals(
        "RegistryCredentials[serverId=acme-registry, username=bot, password=****]",
        new RegistryCredentials("acme-registry", "bot", "pa55-s3cr3t").toString());
  }
}
