package io.appmeshxds.translator.plan;

import java.util.List;

/**
 * Everything one proxy receives, before it becomes protos.
 *
 * @param key who receives it
 * @param listeners listeners, in a stable order
 * @param routeConfigs route configurations, by id order
 * @param clusters clusters, by id order
 * @param endpoints load assignments of the EDS clusters, by cluster order
 * @param notes what planning left out and why (logged, shown by render)
 */
public record ProxyPlan(
    NodeKey key,
    List<ListenerPlan> listeners,
    List<RouteConfigPlan> routeConfigs,
    List<ClusterPlan> clusters,
    List<EndpointPlan> endpoints,
    List<String> notes) {

  public ProxyPlan {
    listeners = List.copyOf(listeners);
    routeConfigs = List.copyOf(routeConfigs);
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
    notes = List.copyOf(notes);
  }
}
