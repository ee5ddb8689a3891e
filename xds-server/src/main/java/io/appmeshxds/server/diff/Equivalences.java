package io.appmeshxds.server.diff;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites a normalized resource into the one of its equivalent forms the comparer expects, where
 * Envoy reads two different configurations the same way.
 *
 * <p>A virtual host's {@code retry_policy} is the policy of each of its routes that forwards
 * ({@code route} action) and sets none of its own; a route's own policy replaces it whole (Envoy's
 * route.v3 API: "the route's policy takes precedence"). Our translator puts a policy that every
 * route of a virtual host shares on the virtual host once; App Mesh's Envoy carried it on each
 * route. Why push it down rather than up: a policy on each route is the form both can be brought
 * to without deciding which of several equal policies "is shared".
 */
final class Equivalences {
  private Equivalences() {}

  /** {@code routeConfiguration} (normalized) with virtual host retry policies moved onto their routes. */
  static JsonNode routeConfiguration(JsonNode routeConfiguration) {
    JsonNode hosts = routeConfiguration.get("virtual_hosts");
    if (hosts == null || !hosts.isArray()) {
      return routeConfiguration;
    }
    for (JsonNode host : hosts) {
      if (!(host instanceof ObjectNode vh) || vh.get("retry_policy") == null) {
        continue;
      }
      JsonNode policy = vh.get("retry_policy");
      JsonNode routes = vh.get("routes");
      if (routes != null && routes.isArray()) {
        for (JsonNode r : routes) {
          // The same node in every route keeps what the normalizer marked on it (identity).
          if (r.get("route") instanceof ObjectNode action && action.get("retry_policy") == null) {
            action.set("retry_policy", policy);
          }
        }
      }
      vh.remove("retry_policy");
    }
    return routeConfiguration;
  }
}
