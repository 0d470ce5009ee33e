package dev.nss.it;

import java.util.Map;

/**
 * JSON for test assertions (docker inspect output, the sample program's report), read with the
 * plugin's own reader ({@link dev.nss.core.Json}): objects become {@link Map}, arrays {@link
 * java.util.List}, numbers {@link Long} or {@link Double}, plus String, Boolean and null.
 */
public final class Json {

  private Json() {}

  public static Object parse(String text) {
    return dev.nss.core.Json.parse(text);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(String text) {
    return (Map<String, Object>) parse(text);
  }
}
