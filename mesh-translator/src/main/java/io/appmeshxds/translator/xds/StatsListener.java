package io.appmeshxds.translator.xds;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

/**
 * A static listener that serves two admin paths, {@code /stats/prometheus} and {@code /ready}, on
 * every address, by proxying them to the admin interface bound to loopback.
 *
 * <p>Why: App Mesh's sidecars served the whole admin interface on {@code 0.0.0.0:9901}, and the
 * {@code appmesh-prometheus} and Flagger scrape configs read {@code <pod IP>:9901/stats/prometheus}.
 * The admin interface also answers {@code POST /quitquitquit}, {@code /runtime_modify} and
 * {@code /drain_listeners} to anyone who reaches it; with it on loopback and this listener on 9901,
 * scrapes and kubelet's readiness probe work as before and nothing else is exposed.
 */
final class StatsListener {
  private StatsListener() {}

  static void add(Bootstrap.StaticResources.Builder r, String adminAddress, int adminPort, int statsPort) {
    String target = "0.0.0.0".equals(adminAddress) ? "127.0.0.1" : "::".equals(adminAddress) ? "::1" : adminAddress;
    r.addClusters(Cluster.newBuilder()
        .setName(BootstrapFactory.ADMIN_CLUSTER)
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(Protos.millis(250))
        .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(BootstrapFactory.ADMIN_CLUSTER)
            .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder().setAddress(BootstrapFactory.address(target, adminPort)))))));
    VirtualHost.Builder vh = VirtualHost.newBuilder().setName("admin").addDomains("*");
    for (String path : BootstrapFactory.STATS_PATHS) {
      vh.addRoutes(Route.newBuilder()
          .setMatch(RouteMatch.newBuilder().setPath(path))
          .setRoute(RouteAction.newBuilder().setCluster(BootstrapFactory.ADMIN_CLUSTER)));
    }
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix("stats")
        .setRouteConfig(RouteConfiguration.newBuilder().setName("envoy_stats").addVirtualHosts(vh))
        .addHttpFilters(HttpFilter.newBuilder().setName(ListenerFactory.ROUTER).setTypedConfig(Protos.pack(Router.getDefaultInstance())))
        .build();
    r.addListeners(Listener.newBuilder()
        .setName(BootstrapFactory.STATS_LISTENER)
        .setAddress(BootstrapFactory.address("0.0.0.0", statsPort))
        .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
            .setName(ListenerFactory.HCM).setTypedConfig(Protos.pack(hcm)))));
  }
}
