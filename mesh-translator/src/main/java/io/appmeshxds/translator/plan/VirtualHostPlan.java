package io.appmeshxds.translator.plan;

import java.util.List;

/**
 * A virtual host.
 *
 * @param name unique in its route configuration (a virtual service's App Mesh name, or a fixed name)
 * @param domains host names it answers (unique across the route configuration)
 * @param routes routes in evaluation order
 */
public record VirtualHostPlan(String name, List<String> domains, List<RoutePlan> routes) {
  public VirtualHostPlan {
    domains = List.copyOf(domains);
    routes = List.copyOf(routes);
  }
}
