package io.appmeshxds.server.diff;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * How the elements of a repeated field are told apart. Lists of named things are matched by name
 * (by their match when unnamed), never by index, so one element more or less does not make every
 * later one "different"; where Envoy evaluates the list in order, a different order is a
 * difference of its own. Lists of scalars that Envoy treats as sets compare as sets.
 */
final class ListRules {
  private ListRules() {}

  /**
   * An identity rule.
   *
   * @param label how a difference line names one element ({@code virtual host}, {@code route}, …)
   * @param matchField the field that identifies an element without a name, or null
   * @param ordered whether Envoy evaluates the list in order (first match wins, filters run in order)
   */
  record Rule(String label, String matchField, boolean ordered) {
    /** The element's identity: its name, else its match (canonical JSON), else its position. */
    String key(JsonNode element, int index) {
      JsonNode name = element.get("name");
      if (name != null && name.isString() && !name.asString().isEmpty()) {
        return name.asString();
      }
      if (matchField != null) {
        JsonNode match = element.get(matchField);
        return "(match " + (match == null ? "{}" : match.toString()) + ")";
      }
      return "#" + (index + 1);
    }
  }

  private static final Map<String, Rule> RULES = Map.ofEntries(
      Map.entry("envoy.config.listener.v3.Listener.filter_chains", new Rule("filter chain", "filter_chain_match", false)),
      Map.entry("envoy.config.listener.v3.Listener.listener_filters", new Rule("listener filter", null, true)),
      Map.entry("envoy.config.listener.v3.FilterChain.filters", new Rule("filter", null, true)),
      Map.entry("envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.http_filters",
          new Rule("http filter", null, true)),
      Map.entry("envoy.config.route.v3.RouteConfiguration.virtual_hosts", new Rule("virtual host", null, false)),
      Map.entry("envoy.config.route.v3.VirtualHost.routes", new Rule("route", "match", true)),
      Map.entry("envoy.config.route.v3.WeightedCluster.clusters", new Rule("weighted cluster", null, false)),
      Map.entry("envoy.config.cluster.v3.Cluster.transport_socket_matches", new Rule("transport socket match", null, true)));

  /** Scalar lists Envoy reads as sets. */
  private static final Set<String> SETS = Set.of(
      "envoy.config.route.v3.VirtualHost.domains",
      "envoy.config.listener.v3.FilterChainMatch.server_names",
      "envoy.config.listener.v3.FilterChainMatch.application_protocols",
      "envoy.config.listener.v3.FilterChainMatch.source_ports",
      "envoy.config.route.v3.RetryPolicy.retriable_status_codes");

  /** The identity rule of a field, or null. */
  static Rule of(FieldDescriptor f) {
    return RULES.get(f.getFullName());
  }

  static boolean isSet(FieldDescriptor f) {
    return SETS.contains(f.getFullName());
  }
}
