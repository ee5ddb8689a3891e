package io.appmeshxds.server.cli;

import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test helpers on config dumps as JSON trees: turn {@code render --format config-dump} output into
 * what a running Envoy prints for the same resources, and find resources in it to change.
 */
final class Dumps {
  private Dumps() {}

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String ADMIN = "type.googleapis.com/envoy.admin.v3.";

  static ObjectNode parse(String json) {
    return (ObjectNode) JSON.readTree(json);
  }

  static String write(JsonNode n) {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
  }

  /**
   * Our dump as an Envoy that accepted it prints it: a bootstrap entry (node, static clusters) first,
   * its own versions and timestamps, dynamic clusters in another order, endpoints with resolved
   * addresses, and within resources durations with three decimals ({@code 1.000s}), digit strings
   * (int64) as numbers, two enums as numbers and some fields at their default written out.
   */
  static ObjectNode envoyStyle(String ours, String nodeId) {
    ObjectNode root = parse(ours);
    ArrayNode configs = (ArrayNode) root.get("configs");
    ObjectNode bootstrap = JSON.createObjectNode();
    bootstrap.put("@type", ADMIN + "BootstrapConfigDump");
    ObjectNode node = bootstrap.putObject("bootstrap").putObject("node");
    node.put("id", nodeId).put("cluster", nodeId).put("user_agent_name", "envoy");
    bootstrap.withObject("/bootstrap").putObject("static_resources").putArray("clusters").addObject()
        .put("name", "xds_cluster").put("type", "STRICT_DNS").put("connect_timeout", "1s");
    bootstrap.put("last_updated", "2026-11-30T08:15:00.123Z");
    configs.insert(0, bootstrap);
    for (JsonNode c : configs) {
      ObjectNode config = (ObjectNode) c;
      String type = config.get("@type").asString().substring(ADMIN.length());
      switch (type) {
        case "ClustersConfigDump" -> {
          config.put("version_info", "1764490500");
          config.putArray("static_clusters").addObject().put("last_updated", "2026-11-30T08:15:00.123Z")
              .putObject("cluster").put("@type", "type.googleapis.com/envoy.config.cluster.v3.Cluster")
              .put("name", "xds_cluster").put("type", "STRICT_DNS").put("connect_timeout", "1s");
          ArrayNode dynamic = (ArrayNode) config.get("dynamic_active_clusters");
          ArrayNode reversed = JSON.createArrayNode();
          for (int i = dynamic.size() - 1; i >= 0; i--) {
            reversed.add(dynamic.get(i));
          }
          config.set("dynamic_active_clusters", reversed);
          reversed.forEach(d -> stamp((ObjectNode) d));
        }
        case "EndpointsConfigDump" -> {
          ArrayNode dynamic = config.putArray("dynamic_endpoint_configs");
          ObjectNode cla = dynamic.addObject().putObject("endpoint_config");
          cla.put("@type", "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment").put("cluster_name", "any");
          cla.putArray("endpoints").addObject().putArray("lb_endpoints").addObject().putObject("endpoint")
              .putObject("address").putObject("socket_address").put("address", "10.1.7.33").put("port_value", 8080);
        }
        case "ListenersConfigDump" -> config.get("dynamic_listeners").forEach(l -> stamp((ObjectNode) l.get("active_state")));
        case "RoutesConfigDump" -> config.get("dynamic_route_configs").forEach(r -> stamp((ObjectNode) r));
        default -> { }
      }
    }
    for (String kind : new String[] {"cluster", "listener", "route_config"}) {
      for (JsonNode r : root.findValues(kind)) {
        if (r.isObject() && r.has("@type")) {
          rewrite((ObjectNode) r);
        }
      }
    }
    for (JsonNode c : clusters(root)) {
      ObjectNode cluster = (ObjectNode) c;
      if (!cluster.has("lb_policy")) {
        cluster.put("lb_policy", "ROUND_ROBIN");
      }
      cluster.put("respect_dns_ttl", false);
    }
    return root;
  }

  private static void stamp(ObjectNode entry) {
    entry.put("version_info", "2026-11-30T08:15:00Z/17");
    entry.put("last_updated", "2026-11-30T08:15:00.456Z");
  }

  /** Durations to three decimals, digit strings to numbers, resource_api_version and cluster type as numbers. */
  private static void rewrite(ObjectNode o) {
    Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator();
    Map<String, Integer> clusterTypes = Map.of("STATIC", 0, "STRICT_DNS", 1, "LOGICAL_DNS", 2, "EDS", 3, "ORIGINAL_DST", 4);
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        rewrite((ObjectNode) v);
      } else if (v.isArray()) {
        for (JsonNode x : v) {
          if (x.isObject()) {
            rewrite((ObjectNode) x);
          }
        }
      } else if (v.isString()) {
        String s = v.asString();
        if (e.getKey().equals("resource_api_version") && s.equals("V3")) {
          e.setValue(JSON.getNodeFactory().numberNode(2));
        } else if (e.getKey().equals("type") && clusterTypes.containsKey(s)) {
          e.setValue(JSON.getNodeFactory().numberNode(clusterTypes.get(s)));
        } else if (s.matches("\\d+s")) {
          e.setValue(JSON.getNodeFactory().stringNode(s.substring(0, s.length() - 1) + ".000s"));
        } else if (s.matches("\\d{1,18}") && !e.getKey().equals("name")) {
          e.setValue(JSON.getNodeFactory().numberNode(Long.parseLong(s)));
        }
      }
    }
  }

  /**
   * Our {@code render} JSON (camelCase JSON names) in a config dump with camelCase wrappers, as
   * some tools save a dump after reading it with a protobuf library's default JSON printer.
   */
  static ObjectNode camelCaseDump(String renderJson) {
    JsonNode r = JSON.readTree(renderJson);
    ObjectNode root = JSON.createObjectNode();
    ArrayNode configs = root.putArray("configs");
    ObjectNode clusters = configs.addObject().put("@type", ADMIN + "ClustersConfigDump");
    for (JsonNode c : r.get("clusters")) {
      ObjectNode cluster = ((ObjectNode) c.deepCopy()).put("@type", "type.googleapis.com/envoy.config.cluster.v3.Cluster");
      clusters.withArray("dynamicActiveClusters").addObject().put("versionInfo", "v1").set("cluster", cluster);
    }
    ObjectNode listeners = configs.addObject().put("@type", ADMIN + "ListenersConfigDump");
    for (JsonNode l : r.get("listeners")) {
      ObjectNode listener = ((ObjectNode) l.deepCopy()).put("@type", "type.googleapis.com/envoy.config.listener.v3.Listener");
      ObjectNode entry = listeners.withArray("dynamicListeners").addObject().put("name", l.get("name").asString());
      entry.putObject("activeState").put("versionInfo", "v1").set("listener", listener);
    }
    ObjectNode routes = configs.addObject().put("@type", ADMIN + "RoutesConfigDump");
    for (JsonNode rc : r.get("routes")) {
      ObjectNode route = ((ObjectNode) rc.deepCopy()).put("@type", "type.googleapis.com/envoy.config.route.v3.RouteConfiguration");
      routes.withArray("dynamicRouteConfigs").addObject().put("versionInfo", "v1").set("routeConfig", route);
    }
    return root;
  }

  static Iterable<JsonNode> clusters(JsonNode root) {
    return dynamic(root, "ClustersConfigDump", "dynamic_active_clusters", e -> e.get("cluster"));
  }

  static ObjectNode cluster(JsonNode root, String name) {
    return find(clusters(root), name);
  }

  static ObjectNode listener(JsonNode root, String name) {
    return find(dynamic(root, "ListenersConfigDump", "dynamic_listeners", e -> e.get("active_state").get("listener")), name);
  }

  static ObjectNode routeConfig(JsonNode root, String name) {
    return find(dynamic(root, "RoutesConfigDump", "dynamic_route_configs", e -> e.get("route_config")), name);
  }

  static ObjectNode virtualHost(JsonNode routeConfig, String name) {
    return find(routeConfig.get("virtual_hosts"), name);
  }

  static ObjectNode route(JsonNode virtualHost, String name) {
    return find(virtualHost.get("routes"), name);
  }

  static ObjectNode configOf(JsonNode root, String type) {
    for (JsonNode c : root.get("configs")) {
      if (c.get("@type").asString().equals(ADMIN + type)) {
        return (ObjectNode) c;
      }
    }
    throw new AssertionError("no " + type);
  }

  private static Iterable<JsonNode> dynamic(JsonNode root, String type, String list, Function<JsonNode, JsonNode> resource) {
    ArrayNode out = JSON.createArrayNode();
    configOf(root, type).get(list).forEach(e -> out.add(resource.apply(e)));
    return out;
  }

  private static ObjectNode find(Iterable<JsonNode> list, String name) {
    for (JsonNode n : list) {
      if (n.has("name") && n.get("name").asString().equals(name)) {
        return (ObjectNode) n;
      }
    }
    throw new AssertionError("no " + name);
  }
}
