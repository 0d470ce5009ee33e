package dev.nss.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates JSON values against the subset of JSON Schema that {@code nss-doctor.schema.json} uses:
 * type, enum, required, properties, additionalProperties (false), items, minimum, minLength. Any
 * other keyword in the schema is an error, so the schema cannot drift beyond what is checked here.
 */
public final class MiniSchema {

  private static final List<String> KNOWN =
      List.of(
          "$schema",
          "$id",
          "title",
          "description",
          "type",
          "enum",
          "required",
          "properties",
          "additionalProperties",
          "items",
          "minimum",
          "minLength");

  private MiniSchema() {}

  /** Returns the violations, empty when {@code value} is valid. */
  public static List<String> validate(Object schema, Object value) {
    List<String> errors = new ArrayList<>();
    validate(schema, value, "$", errors);
    return errors;
  }

  @SuppressWarnings("unchecked")
  private static void validate(Object schemaNode, Object value, String path, List<String> errors) {
    Map<String, Object> schema = (Map<String, Object>) schemaNode;
    for (String keyword : schema.keySet()) {
      if (!KNOWN.contains(keyword)) {
        errors.add(path + ": schema keyword '" + keyword + "' is not supported by MiniSchema");
      }
    }
    Object type = schema.get("type");
    if (type != null && !hasType(value, (String) type)) {
      errors.add(path + ": expected " + type + " but was " + describe(value));
      return;
    }
    if (schema.containsKey("enum") && !((List<Object>) schema.get("enum")).contains(value)) {
      errors.add(path + ": " + describe(value) + " is not one of " + schema.get("enum"));
    }
    if (schema.containsKey("minimum")
        && value instanceof Number
        && ((Number) value).doubleValue() < ((Number) schema.get("minimum")).doubleValue()) {
      errors.add(path + ": " + value + " is below the minimum " + schema.get("minimum"));
    }
    if (schema.containsKey("minLength")
        && value instanceof String
        && ((String) value).length() < ((Number) schema.get("minLength")).intValue()) {
      errors.add(path + ": shorter than " + schema.get("minLength"));
    }
    if (value instanceof Map) {
      Map<String, Object> object = (Map<String, Object>) value;
      Map<String, Object> properties =
          (Map<String, Object>) schema.getOrDefault("properties", Map.of());
      for (Object required : (List<Object>) schema.getOrDefault("required", List.of())) {
        if (!object.containsKey(required)) {
          errors.add(path + ": missing required property '" + required + "'");
        }
      }
      for (Map.Entry<String, Object> entry : object.entrySet()) {
        Object propertySchema = properties.get(entry.getKey());
        if (propertySchema != null) {
          validate(propertySchema, entry.getValue(), path + "." + entry.getKey(), errors);
        } else if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
          errors.add(path + ": property '" + entry.getKey() + "' is not declared in the schema");
        }
      }
    }
    if (value instanceof List && schema.containsKey("items")) {
      List<Object> list = (List<Object>) value;
      for (int i = 0; i < list.size(); i++) {
        validate(schema.get("items"), list.get(i), path + "[" + i + "]", errors);
      }
    }
  }

  private static boolean hasType(Object value, String type) {
    switch (type) {
      case "object":
        return value instanceof Map;
      case "array":
        return value instanceof List;
      case "string":
        return value instanceof String;
      case "integer":
        return value instanceof Long;
      case "number":
        return value instanceof Number;
      case "boolean":
        return value instanceof Boolean;
      case "null":
        return value == null;
      default:
        throw new IllegalArgumentException("unsupported type " + type);
    }
  }

  private static String describe(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
