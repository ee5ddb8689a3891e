package io.appmeshxds.server.diff;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.appmeshxds.server.configdump.EnvoyTypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Walks two normalized resources side by side, with the descriptors where they are known, and
 * collects their differences. Named list elements are matched by identity ({@link ListRules}),
 * each difference is named by the location of the innermost named element and the field path
 * below it. Every node is visited once, and list matching goes through hash maps: the work is
 * linear in the size of the two resources.
 */
final class Comparer {
  private static final int MAX_VALUE_CHARS = 200;
  private static final String RETRY_ON = "envoy.config.route.v3.RetryPolicy.retry_on";

  private final Set<JsonNode> marked;
  private final Set<String> ignoredFields;
  private final List<Difference> out = new ArrayList<>();

  Comparer(Set<JsonNode> marked, Set<String> ignoredFields) {
    this.marked = marked;
    this.ignoredFields = ignoredFields;
  }

  List<Difference> differences() {
    return out;
  }

  /** Two normalized resources of one type, named {@code location} in the lines. */
  void compare(String location, Descriptor type, JsonNode ours, JsonNode running) {
    message(location, "", type, ours, running, false);
  }

  private void message(String loc, String path, Descriptor d, JsonNode o, JsonNode r, boolean ext) {
    Set<String> keys = new TreeSet<>(o.propertyNames());
    keys.addAll(r.propertyNames());
    for (String k : keys) {
      if (k.equals("@type") || ignoredFields.contains(k)) {
        continue;
      }
      field(loc, join(path, k), d == null ? null : d.findFieldByName(k), o.get(k), r.get(k), ext);
    }
  }

  private void field(String loc, String path, FieldDescriptor f, JsonNode o, JsonNode r, boolean ext) {
    boolean x = ext || isMarked(o) || isMarked(r);
    if (o == null || r == null) {
      JsonNode present = o == null ? r : o;
      if (!x && present != null && present.isContainer() && containsMarked(present)) {
        // Go down to what is unknown, so that it is reported as such and the rest as configuration.
        JsonNode empty = present.isObject() ? JsonNodeFactory.instance.objectNode() : JsonNodeFactory.instance.arrayNode();
        field(loc, path, f, o == null ? empty : o, r == null ? empty : r, false);
      } else {
        value(loc, path, o, r, x);
      }
    } else if (f == null) {
      generic(loc, path, o, r, x);
    } else if (f.isMapField()) {
      map(loc, path, f, o, r, x);
    } else if (f.isRepeated()) {
      list(loc, path, f, o, r, x);
    } else {
      single(loc, path, f, o, r, x);
    }
  }

  private void single(String loc, String path, FieldDescriptor f, JsonNode o, JsonNode r, boolean ext) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && o.isObject() && r.isObject()) {
      Descriptor m = f.getMessageType();
      switch (m.getFullName()) {
        case "google.protobuf.Any" -> any(loc, path, o, r, ext);
        case "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue" -> generic(loc, path, o, r, ext);
        default -> message(loc, path, m, o, r, ext);
      }
    } else if (!o.equals(r) && !(f.getFullName().equals(RETRY_ON) && sameTokens(o, r))) {
      value(loc, path, o, r, ext);
    }
  }

  private void any(String loc, String path, JsonNode o, JsonNode r, boolean ext) {
    JsonNode ot = o.get("@type");
    JsonNode rt = r.get("@type");
    if (!Objects.equals(ot, rt)) {
      // A different extension altogether: its fields would only repeat that.
      value(loc, join(path, "@type"), ot, rt, ext);
      return;
    }
    Descriptor t = ot != null && ot.isString() ? EnvoyTypes.find(ot.asString()) : null;
    if (t == null || t.getFullName().startsWith("google.protobuf.")) {
      genericFields(loc, path, o, r, ext || t == null);
    } else {
      message(loc, path, t, o, r, ext);
    }
  }

  private void map(String loc, String path, FieldDescriptor f, JsonNode o, JsonNode r, boolean ext) {
    FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
    Set<String> keys = new TreeSet<>(o.propertyNames());
    keys.addAll(r.propertyNames());
    for (String k : keys) {
      JsonNode ov = o.get(k);
      JsonNode rv = r.get(k);
      String p = path + "[\"" + k + "\"]";
      boolean x = ext || isMarked(ov) || isMarked(rv);
      if (ov == null || rv == null) {
        value(loc, p, ov, rv, x);
      } else {
        single(loc, p, valueField, ov, rv, x);
      }
    }
  }

  private void list(String loc, String path, FieldDescriptor f, JsonNode o, JsonNode r, boolean ext) {
    ListRules.Rule rule = ListRules.of(f);
    if (!o.isArray() || !r.isArray()) {
      value(loc, path, o, r, ext);
    } else if (rule != null) {
      identity(loc, path, f, rule, o, r, ext);
    } else if (ListRules.isSet(f)) {
      set(loc, path, o, r, ext);
    } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && named(o) != null && named(r) != null) {
      byName(loc, path, f, named(o), named(r), ext);
    } else {
      for (int i = 0; i < Math.max(o.size(), r.size()); i++) {
        JsonNode ov = o.get(i);
        JsonNode rv = r.get(i);
        if (ov == null || rv == null) {
          value(loc, path + "[" + i + "]", ov, rv, ext || isMarked(ov) || isMarked(rv));
        } else {
          single(loc, path + "[" + i + "]", f, ov, rv, ext || isMarked(ov) || isMarked(rv));
        }
      }
    }
  }

  /** Elements matched by identity; each one found on both sides becomes a location of its own. */
  private void identity(String loc, String path, FieldDescriptor f, ListRules.Rule rule, JsonNode o, JsonNode r, boolean ext) {
    Map<String, JsonNode> om = index(rule, o);
    Map<String, JsonNode> rm = index(rule, r);
    for (Map.Entry<String, JsonNode> e : om.entrySet()) {
      if (!rm.containsKey(e.getKey())) {
        out.add(new Difference(loc + " / " + rule.label() + " " + e.getKey(), "missing in running Envoy", ext || isMarked(e.getValue())));
      }
    }
    for (Map.Entry<String, JsonNode> e : rm.entrySet()) {
      if (!om.containsKey(e.getKey())) {
        String unknown = unknownType(e.getValue());
        out.add(new Difference(loc + " / " + rule.label() + " " + e.getKey(),
            "missing in ours" + (unknown == null ? "" : " (" + unknown + " is not a type upstream Envoy has)"),
            ext || unknown != null || isMarked(e.getValue())));
      }
    }
    if (rule.ordered()) {
      List<String> oc = om.keySet().stream().filter(rm::containsKey).toList();
      List<String> rc = rm.keySet().stream().filter(om::containsKey).toList();
      if (!oc.equals(rc)) {
        out.add(new Difference(loc, path + " in a different order: ours " + om.keySet() + ", running " + rm.keySet(), ext));
      }
    }
    for (Map.Entry<String, JsonNode> e : om.entrySet()) {
      JsonNode rv = rm.get(e.getKey());
      if (rv != null) {
        single(loc + " / " + rule.label() + " " + e.getKey(), "", f, e.getValue(), rv, ext);
      }
    }
  }

  private static Map<String, JsonNode> index(ListRules.Rule rule, JsonNode list) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String key = rule.key(list.get(i), i);
      String unique = key;
      for (int n = 2; m.containsKey(unique); n++) {
        unique = key + " #" + n;
      }
      m.put(unique, list.get(i));
    }
    return m;
  }

  /** Elements of a list of objects with distinct names, by name; null when the list is not such a list. */
  private static Map<String, JsonNode> named(JsonNode list) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    for (JsonNode e : list) {
      JsonNode name = e.get("name");
      if (!e.isObject() || name == null || !name.isString() || m.put(name.asString(), e) != null) {
        return null;
      }
    }
    return m;
  }

  private void byName(String loc, String path, FieldDescriptor f, Map<String, JsonNode> om, Map<String, JsonNode> rm, boolean ext) {
    Set<String> names = new LinkedHashSet<>(om.keySet());
    names.addAll(rm.keySet());
    for (String n : names) {
      JsonNode ov = om.get(n);
      JsonNode rv = rm.get(n);
      String p = path + "[" + n + "]";
      boolean x = ext || isMarked(ov) || isMarked(rv);
      if (f == null) {
        generic(loc, p, ov, rv, x);
      } else if (ov == null || rv == null) {
        value(loc, p, ov, rv, x);
      } else {
        single(loc, p, f, ov, rv, x);
      }
    }
  }

  private void set(String loc, String path, JsonNode o, JsonNode r, boolean ext) {
    Set<String> os = new LinkedHashSet<>();
    o.forEach(x -> os.add(x.toString()));
    Set<String> rs = new LinkedHashSet<>();
    r.forEach(x -> rs.add(x.toString()));
    List<String> onlyRunning = rs.stream().filter(x -> !os.contains(x)).toList();
    List<String> onlyOurs = os.stream().filter(x -> !rs.contains(x)).toList();
    List<String> parts = new ArrayList<>();
    if (!onlyRunning.isEmpty()) {
      parts.add("only in running " + onlyRunning.stream().collect(Collectors.joining(", ", "[", "]")));
    }
    if (!onlyOurs.isEmpty()) {
      parts.add("only in ours " + onlyOurs.stream().collect(Collectors.joining(", ", "[", "]")));
    }
    if (!parts.isEmpty()) {
      out.add(new Difference(loc, path + ": " + String.join("; ", parts), ext));
    }
  }

  /** Without a descriptor (an unknown field or type): objects by key, lists by name or position, the rest by value. */
  private void generic(String loc, String path, JsonNode o, JsonNode r, boolean ext) {
    boolean x = ext || isMarked(o) || isMarked(r);
    if (o == null || r == null) {
      value(loc, path, o, r, x);
    } else if (o.isObject() && r.isObject()) {
      if (o.has("@type") && r.has("@type")) {
        any(loc, path, o, r, x);
      } else {
        genericFields(loc, path, o, r, x);
      }
    } else if (o.isArray() && r.isArray() && named(o) != null && named(r) != null) {
      byName(loc, path, null, named(o), named(r), x);
    } else if (o.isArray() && r.isArray()) {
      for (int i = 0; i < Math.max(o.size(), r.size()); i++) {
        generic(loc, path + "[" + i + "]", o.get(i), r.get(i), x);
      }
    } else if (!o.equals(r)) {
      value(loc, path, o, r, x);
    }
  }

  private void genericFields(String loc, String path, JsonNode o, JsonNode r, boolean ext) {
    Set<String> keys = new TreeSet<>(o.propertyNames());
    keys.addAll(r.propertyNames());
    for (String k : keys) {
      if (!k.equals("@type") && !ignoredFields.contains(k)) {
        generic(loc, join(path, k), o.get(k), r.get(k), ext);
      }
    }
  }

  private void value(String loc, String path, JsonNode o, JsonNode r, boolean ext) {
    out.add(new Difference(loc, path + ": running " + show(r) + " ≠ ours " + show(o), ext));
  }

  private boolean isMarked(JsonNode n) {
    return n != null && marked.contains(n);
  }

  private boolean containsMarked(JsonNode n) {
    if (isMarked(n)) {
      return true;
    }
    for (JsonNode child : n.values()) {
      if (containsMarked(child)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code @type} of an element's typed config when no descriptor knows it. */
  private String unknownType(JsonNode element) {
    JsonNode tc = element.get("typed_config");
    return tc != null && isMarked(tc) && tc.has("@type") ? tc.get("@type").asString() : null;
  }

  private static boolean sameTokens(JsonNode a, JsonNode b) {
    return a.isString() && b.isString() && tokens(a.asString()).equals(tokens(b.asString()));
  }

  private static Set<String> tokens(String commaSeparated) {
    Set<String> s = new HashSet<>();
    Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(s::add);
    return s;
  }

  static String show(JsonNode n) {
    if (n == null) {
      return "(not set)";
    }
    String s = n.toString();
    return s.length() > MAX_VALUE_CHARS ? s.substring(0, MAX_VALUE_CHARS) + "…" : s;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
