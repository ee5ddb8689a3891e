package io.appmeshxds.server.diff;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one side of a diff from JSON: Envoy's admin {@code /config_dump} (v3, {@code configs[]},
 * snake_case or camelCase keys), or the object {@code render} and the admin {@code /config_dump?node=}
 * of appmesh-xds print ({@code {"listeners":[…],"clusters":[…],…}}). Only what the control plane
 * pushed is kept: the {@code dynamic_*} resources (active; warming when there is no active one).
 * Static resources come from the bootstrap, endpoints are addresses, and both are left out.
 */
final class DumpReader {
  private DumpReader() {}

  private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final String ADMIN_V3 = "envoy.admin.v3.";

  static Dump read(byte[] json) throws DumpException {
    JsonNode root = parse(json);
    if (root.has("configs")) {
      return fromConfigDump(root.get("configs"));
    }
    Map<ResourceKind, String> keys = Map.of(ResourceKind.LISTENER, "listeners", ResourceKind.ROUTE, "routes",
        ResourceKind.CLUSTER, "clusters", ResourceKind.SECRET, "secrets");
    if (keys.values().stream().anyMatch(k -> root.path(k).isArray())) {
      Map<ResourceKind, Map<String, JsonNode>> resources = new EnumMap<>(ResourceKind.class);
      for (Map.Entry<ResourceKind, String> e : keys.entrySet()) {
        for (JsonNode r : root.path(e.getValue())) {
          add(resources, e.getKey(), r, null);
        }
      }
      return new Dump(null, null, resources, List.of());
    }
    throw new DumpException("not an Envoy config dump: a JSON object without \"configs\" (take it from Envoy's admin "
        + "endpoint: curl -s localhost:9901/config_dump)");
  }

  private static JsonNode parse(byte[] json) throws DumpException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (StreamConstraintsException e) {
      throw new DumpException("beyond the JSON parser's limits (nesting depth, length of a string or a number); "
          + "not a dump Envoy prints");
    } catch (JacksonException e) {
      // Why not e.getMessage(): it quotes the input, which may hold secret material.
      TokenStreamLocation at = e.getLocation();
      throw new DumpException("not valid JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }
    if (root == null || root.isMissingNode()) {
      throw new DumpException("empty input: no config dump");
    }
    if (!root.isObject()) {
      throw new DumpException("not an Envoy config dump: the JSON is not an object");
    }
    return root;
  }

  private static Dump fromConfigDump(JsonNode configs) throws DumpException {
    if (!configs.isArray()) {
      throw new DumpException("not an Envoy config dump: \"configs\" is not a list");
    }
    Map<ResourceKind, Map<String, JsonNode>> resources = new EnumMap<>(ResourceKind.class);
    List<String> notes = new ArrayList<>();
    String nodeId = null;
    String nodeCluster = null;
    for (JsonNode c : configs) {
      String type = typeName(c);
      if (type.startsWith("envoy.admin.v2alpha.")) {
        throw new DumpException("this is a v2 config dump (" + type + ", Envoy 1.16 or older); diff reads the v3 dumps of "
            + "Envoy 1.17 and later, as App Mesh's Envoy images from v1.17.2.0 print them");
      }
      switch (type.startsWith(ADMIN_V3) ? type.substring(ADMIN_V3.length()) : "") {
        case "BootstrapConfigDump" -> {
          JsonNode node = field(field(c, "bootstrap"), "node");
          nodeId = text(field(node, "id"));
          nodeCluster = text(field(node, "cluster"));
        }
        case "ClustersConfigDump" -> {
          dynamic(resources, ResourceKind.CLUSTER, field(c, "dynamic_active_clusters"), "cluster");
          dynamic(resources, ResourceKind.CLUSTER, field(c, "dynamic_warming_clusters"), "cluster");
        }
        case "ListenersConfigDump" -> {
          for (JsonNode l : field(c, "dynamic_listeners")) {
            JsonNode state = field(l, "active_state").isObject() ? field(l, "active_state") : field(l, "warming_state");
            if (state.isObject()) {
              add(resources, ResourceKind.LISTENER, field(state, "listener"), text(field(l, "name")));
            }
          }
        }
        case "RoutesConfigDump" -> dynamic(resources, ResourceKind.ROUTE, field(c, "dynamic_route_configs"), "route_config");
        case "SecretsConfigDump" -> {
          for (JsonNode s : field(c, "dynamic_active_secrets")) {
            add(resources, ResourceKind.SECRET, field(s, "secret"), text(field(s, "name")));
          }
        }
        // Endpoints are addresses (never compared); ECDS and scoped routes are not used by appmesh-xds.
        case "EndpointsConfigDump", "EcdsConfigDump", "ScopedRoutesConfigDump" -> { }
        default -> notes.add("ignored a configs entry of type " + (type.isEmpty() ? "(none)" : type));
      }
    }
    return new Dump(nodeId, nodeCluster, resources, notes);
  }

  /** Entries of a dynamic list; an earlier entry (the active one) wins over a later one of the same name (warming). */
  private static void dynamic(Map<ResourceKind, Map<String, JsonNode>> out, ResourceKind kind, JsonNode list, String key)
      throws DumpException {
    for (JsonNode entry : list) {
      JsonNode r = field(entry, key);
      if (r.isObject() && !out.getOrDefault(kind, Map.of()).containsKey(text(r.get("name")))) {
        add(out, kind, r, null);
      }
    }
  }

  private static void add(Map<ResourceKind, Map<String, JsonNode>> out, ResourceKind kind, JsonNode r, String name)
      throws DumpException {
    if (!r.isObject()) {
      return;
    }
    String type = typeName(r);
    if (type.startsWith("envoy.api.v2.")) {
      throw new DumpException("the running Envoy holds xDS v2 resources (" + type + "); diff compares the v3 resources "
          + "of Envoy 1.17 and later");
    }
    if (!type.isEmpty() && !type.equals(kind.typeName())) {
      throw new DumpException("a " + kind.label() + " entry holds a " + type + ", expected " + kind.typeName());
    }
    ObjectNode resource = (ObjectNode) r;
    resource.remove("@type");
    String n = text(resource.get("name"));
    Map<String, JsonNode> byName = out.computeIfAbsent(kind, k -> new HashMap<>());
    String key = n != null ? n : name != null ? name : "(unnamed " + (byName.size() + 1) + ")";
    byName.put(key, resource);
  }

  /** A field by its proto name, or by its JSON (lowerCamel) name; a missing node when neither is there. */
  static JsonNode field(JsonNode obj, String protoName) {
    JsonNode v = obj.get(protoName);
    if (v == null) {
      v = obj.get(camel(protoName));
    }
    return v == null ? tools.jackson.databind.node.MissingNode.getInstance() : v;
  }

  static String camel(String snake) {
    StringBuilder sb = new StringBuilder(snake.length());
    boolean up = false;
    for (char ch : snake.toCharArray()) {
      if (ch == '_') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(ch) : ch);
        up = false;
      }
    }
    return sb.toString();
  }

  private static String typeName(JsonNode n) {
    String url = text(n.get("@type"));
    return url == null ? "" : url.substring(url.lastIndexOf('/') + 1);
  }

  private static String text(JsonNode n) {
    return n != null && n.isString() ? n.asString() : null;
  }
}
