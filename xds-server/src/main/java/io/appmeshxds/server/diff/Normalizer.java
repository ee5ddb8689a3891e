package io.appmeshxds.server.diff;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.appmeshxds.server.configdump.EnvoyTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Brings a resource's proto3 JSON to one canonical form, guided by Envoy's descriptors, so that
 * what proto3 JSON allows to be written in several ways compares equal: proto field names
 * (snake_case) whether written so or as JSON names (camelCase); integers as numbers whether
 * written as strings or numbers; durations in seconds with 0, 3, 6 or 9 decimals ({@code 15s} =
 * {@code 15.000s}); enums by name whether written as a name or a number; bytes re-encoded as
 * standard base64; fields without presence omitted when they hold their default; empty lists and
 * maps omitted; object keys sorted. Sensitive fields become {@code "[redacted]"} (strings, bytes)
 * or are dropped (other scalars), as in Envoy's own dumps, so no secret material can reach a
 * difference line.
 *
 * <p>What the descriptors do not know is kept as written and <em>marked</em>: an {@code Any} of an
 * unknown type, a field or enum value our Envoy API does not define, and metadata in the
 * {@code aws.appmesh*} namespaces (read only by App Mesh's own Envoy build). The comparer reports
 * differences under a marked node as their own class.
 */
final class Normalizer {
  static final String REDACTED = "[redacted]";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Map<Descriptor, Map<String, FieldDescriptor>> JSON_NAMES = new ConcurrentHashMap<>();
  /** Keys whose values are secret in types we cannot read (extensions of unknown type). */
  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(private_?key|password|secret|token|inline_?bytes|inline_?string).*");

  private final Set<JsonNode> marked = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Nodes the descriptors did not know (or App Mesh metadata), by identity. */
  Set<JsonNode> marked() {
    return marked;
  }

  JsonNode resource(JsonNode raw, Descriptor type) {
    return message(raw, type, false);
  }

  private JsonNode message(JsonNode raw, Descriptor d, boolean sensitive) {
    if (!raw.isObject()) {
      return mark(generic(raw, sensitive));
    }
    TreeMap<String, JsonNode> fields = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : raw.properties()) {
      String key = e.getKey();
      if (key.equals("@type")) {
        continue;
      }
      FieldDescriptor f = field(d, key);
      if (f == null) {
        fields.put(key, mark(generic(e.getValue(), sensitive)));
        continue;
      }
      JsonNode v = fieldValue(f, e.getValue(), sensitive || EnvoyTypes.sensitive(f));
      if (v != null) {
        fields.put(f.getName(), v);
      }
    }
    ObjectNode out = F.objectNode();
    fields.forEach(out::set);
    return out;
  }

  /** A field by proto name or JSON name. */
  static FieldDescriptor field(Descriptor d, String key) {
    FieldDescriptor f = d.findFieldByName(key);
    if (f != null) {
      return f;
    }
    return JSON_NAMES.computeIfAbsent(d, t -> {
      Map<String, FieldDescriptor> m = new TreeMap<>();
      t.getFields().forEach(x -> m.put(x.getJsonName(), x));
      return m;
    }).get(key);
  }

  /** A field's value, or null when it is to be omitted (absent, default without presence, empty). */
  private JsonNode fieldValue(FieldDescriptor f, JsonNode v, boolean sensitive) {
    if (v.isNull()) {
      return null;
    }
    if (f.isMapField()) {
      if (!v.isObject()) {
        return mark(generic(v, sensitive));
      }
      FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
      boolean metadata = f.getContainingType().getFullName().equals("envoy.config.core.v3.Metadata");
      TreeMap<String, JsonNode> entries = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        JsonNode x = single(valueField, e.getValue(), sensitive);
        if (x != null) {
          entries.put(e.getKey(), metadata && e.getKey().startsWith("aws.appmesh") ? mark(x) : x);
        }
      }
      ObjectNode out = F.objectNode();
      entries.forEach(out::set);
      return entries.isEmpty() ? null : out;
    }
    if (f.isRepeated()) {
      ArrayNode out = F.arrayNode();
      for (JsonNode x : v.isArray() ? v : F.arrayNode().add(v)) {
        JsonNode n = single(f, x, sensitive);
        if (n != null) {
          out.add(n);
        }
      }
      return out.isEmpty() ? null : out;
    }
    JsonNode n = single(f, v, sensitive);
    return n == null || (!f.hasPresence() && isDefault(f, n)) ? null : n;
  }

  private JsonNode single(FieldDescriptor f, JsonNode v, boolean sensitive) {
    return switch (f.getJavaType()) {
      case MESSAGE -> messageValue(f.getMessageType(), v, sensitive);
      case STRING -> sensitive ? F.stringNode(REDACTED) : v.isString() ? v : F.stringNode(v.isValueNode() ? v.asString() : v.toString());
      case BYTE_STRING -> sensitive ? F.stringNode(REDACTED) : bytes(v);
      case ENUM -> sensitive ? null : enumValue(f, v);
      case INT, LONG -> sensitive ? null : integer(v);
      case FLOAT, DOUBLE -> sensitive ? null : floating(v, f.getJavaType() == FieldDescriptor.JavaType.FLOAT);
      case BOOLEAN -> sensitive ? null : v.isString() ? F.booleanNode(Boolean.parseBoolean(v.asString())) : v;
    };
  }

  private JsonNode messageValue(Descriptor m, JsonNode v, boolean sensitive) {
    String name = m.getFullName();
    return switch (name) {
      case "google.protobuf.Duration" -> v.isString() ? F.stringNode(Durations.canonical(v.asString())) : mark(v);
      case "google.protobuf.Timestamp", "google.protobuf.FieldMask" -> v;
      case "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue" -> generic(v, sensitive);
      case "google.protobuf.Empty" -> F.objectNode();
      case "google.protobuf.Any" -> any(v, sensitive);
      case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
          "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
          "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue" ->
          single(m.findFieldByName("value"), v, sensitive);
      default -> message(v, m, sensitive);
    };
  }

  private JsonNode any(JsonNode v, boolean sensitive) {
    JsonNode url = v.get("@type");
    Descriptor t = url != null && url.isString() ? EnvoyTypes.find(url.asString()) : null;
    if (t == null) {
      return mark(generic(v, sensitive));
    }
    ObjectNode out = F.objectNode();
    out.set("@type", url);
    if (t.getFullName().startsWith("google.protobuf.") && v.has("value") && !t.getFullName().equals("google.protobuf.Empty")) {
      // A well-known type in an Any is written {"@type": …, "value": <its JSON form>}.
      JsonNode inner = messageValue(t, v.get("value"), sensitive);
      if (inner != null) {
        out.set("value", inner);
      }
      return out;
    }
    JsonNode body = message(v, t, sensitive);
    body.properties().forEach(e -> out.set(e.getKey(), e.getValue()));
    return out;
  }

  /** Something no descriptor describes: kept as written (keys sorted), secret-looking keys redacted, known Anys inside normalized. */
  private JsonNode generic(JsonNode v, boolean sensitive) {
    if (v.isObject()) {
      if (v.get("@type") != null && v.get("@type").isString() && EnvoyTypes.find(v.get("@type").asString()) != null) {
        return any(v, sensitive);
      }
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        fields.put(e.getKey(), generic(e.getValue(), sensitive || SECRET_KEY.matcher(e.getKey()).matches()));
      }
      ObjectNode out = F.objectNode();
      fields.forEach(out::set);
      return out;
    }
    if (v.isArray()) {
      ArrayNode out = F.arrayNode();
      v.forEach(x -> out.add(generic(x, sensitive)));
      return out;
    }
    return sensitive && !v.isNull() ? F.stringNode(REDACTED) : v;
  }

  private JsonNode mark(JsonNode n) {
    marked.add(n);
    return n;
  }

  private JsonNode enumValue(FieldDescriptor f, JsonNode v) {
    EnumValueDescriptor e = null;
    if (v.isString()) {
      e = f.getEnumType().findValueByName(v.asString());
    } else if (v.isIntegralNumber()) {
      e = f.getEnumType().findValueByNumber(v.intValue());
    }
    return e != null ? F.stringNode(e.getName()) : mark(v);
  }

  private JsonNode integer(JsonNode v) {
    try {
      if (v.isIntegralNumber()) {
        return F.numberNode(v.bigIntegerValue());
      }
      if (v.isNumber() || v.isString()) {
        BigInteger i = new BigDecimal(v.isString() ? v.asString().trim() : v.numberValue().toString()).toBigIntegerExact();
        return F.numberNode(i);
      }
    } catch (ArithmeticException | NumberFormatException e) {
      // Not an integer: kept as written.
    }
    return mark(v);
  }

  private JsonNode floating(JsonNode v, boolean single) {
    double d;
    if (v.isNumber()) {
      d = v.doubleValue();
    } else if (v.isString()) {
      try {
        d = switch (v.asString()) {
          case "NaN" -> Double.NaN;
          case "Infinity" -> Double.POSITIVE_INFINITY;
          case "-Infinity" -> Double.NEGATIVE_INFINITY;
          default -> Double.parseDouble(v.asString());
        };
      } catch (NumberFormatException e) {
        return mark(v);
      }
    } else {
      return mark(v);
    }
    return F.numberNode(single ? (double) (float) d : d);
  }

  private static JsonNode bytes(JsonNode v) {
    if (!v.isString()) {
      return v;
    }
    String s = v.asString();
    try {
      return F.stringNode(Base64.getEncoder().encodeToString(Base64.getDecoder().decode(s)));
    } catch (IllegalArgumentException e) {
      try {
        return F.stringNode(Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(s)));
      } catch (IllegalArgumentException e2) {
        return v;
      }
    }
  }

  private static boolean isDefault(FieldDescriptor f, JsonNode v) {
    return switch (f.getJavaType()) {
      case INT, LONG -> v.isIntegralNumber() && v.bigIntegerValue().signum() == 0;
      case FLOAT, DOUBLE -> v.isNumber() && v.doubleValue() == 0.0;
      case BOOLEAN -> v.isBoolean() && !v.booleanValue();
      case STRING, BYTE_STRING -> v.isString() && v.asString().isEmpty();
      case ENUM -> v.isString() && f.getEnumType().findValueByNumber(0) != null
          && v.asString().equals(f.getEnumType().findValueByNumber(0).getName());
      case MESSAGE -> false;
    };
  }
}
