package io.appmeshxds.translator.plan;

import java.util.List;

/** The terminal network filter of a chain. */
public sealed interface NetworkFilterPlan permits NetworkFilterPlan.Http, NetworkFilterPlan.Tcp {

  /**
   * HTTP connection manager with RDS.
   *
   * @param statPrefix {@code egress}, {@code ingress}, or {@code ingress.<protocol>.<port>} on each
   *     listener of a node or gateway with several (App Mesh's, which dashboards use)
   * @param routeConfig the route configuration
   * @param accessLog file access log, or null
   * @param extensions tracing and access-log exporters added by other modules (their factories build them)
   */
  record Http(String statPrefix, RouteConfigId routeConfig, AccessLogPlan accessLog, List<ExtensionPlan> extensions)
      implements NetworkFilterPlan {
    public Http {
      extensions = List.copyOf(extensions);
    }

    public Http withExtensions(List<ExtensionPlan> more) {
      return new Http(statPrefix, routeConfig, accessLog, more);
    }
  }

  /**
   * TCP proxy.
   *
   * @param statPrefix stat prefix
   * @param clusters one cluster, or weighted clusters
   * @param idleTimeoutMs idle timeout (0 disables), or null for Envoy's default
   * @param accessLog file access log, or null
   * @param extensions access-log exporters added by other modules
   */
  record Tcp(String statPrefix, List<WeightedCluster> clusters, Long idleTimeoutMs, AccessLogPlan accessLog,
      List<ExtensionPlan> extensions) implements NetworkFilterPlan {
    public Tcp {
      clusters = List.copyOf(clusters);
      extensions = List.copyOf(extensions);
    }

    public Tcp withExtensions(List<ExtensionPlan> more) {
      return new Tcp(statPrefix, clusters, idleTimeoutMs, accessLog, more);
    }
  }
}
