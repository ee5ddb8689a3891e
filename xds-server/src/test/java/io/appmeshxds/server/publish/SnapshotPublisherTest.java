package io.appmeshxds.server.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.appmeshxds.server.grpc.StreamTracker;
import io.appmeshxds.server.grpc.XdsCache;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The publisher withholds a resource set that is inconsistent or breaks Envoy's rules, also when
 * it checks only what changed since the key's last published set; the key keeps its last good one.
 */
class SnapshotPublisherTest {
  private static final NodeKey KEY = NodeKey.sidecar("m", "a_demo");

  private static XdsResources.Resource listener() {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix("egress")
        .setRds(Rds.newBuilder().setRouteConfigName("rds_1")
            .setConfigSource(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())))
        .build();
    return XdsResources.Resource.of("lds_1", Listener.newBuilder().setName("lds_1")
        .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
            .setTypedConfig(com.google.protobuf.Any.pack(hcm))))
        .build());
  }

  private static XdsResources.Resource cluster(String name, long timeoutNanos) {
    return XdsResources.Resource.of(name, Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
        .setConnectTimeout(Duration.newBuilder().setNanos((int) timeoutNanos)).build());
  }

  private static XdsResources.Resource routes(String target, int weight) {
    WeightedCluster w = WeightedCluster.newBuilder()
        .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(target).setWeight(UInt32Value.of(weight)))
        .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("c0").setWeight(UInt32Value.of(100 - weight)))
        .build();
    return XdsResources.Resource.of("rds_1", RouteConfiguration.newBuilder().setName("rds_1")
        .addVirtualHosts(VirtualHost.newBuilder().setName("svc").addDomains("svc").addRoutes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/")).setRoute(RouteAction.newBuilder().setWeightedClusters(w))))
        .build());
  }

  private static XdsResources set(XdsResources.Resource routes, XdsResources.Resource c1) {
    Map<XdsResources.Type, List<XdsResources.Resource>> m = new EnumMap<>(XdsResources.Type.class);
    m.put(XdsResources.Type.LISTENER, List.of(listener()));
    m.put(XdsResources.Type.ROUTE, List.of(routes));
    m.put(XdsResources.Type.CLUSTER, List.of(cluster("c0", 250_000_000), c1));
    m.put(XdsResources.Type.ENDPOINT, List.of(
        XdsResources.Resource.of("c0", ClusterLoadAssignment.newBuilder().setClusterName("c0").build()),
        XdsResources.Resource.of("c1", ClusterLoadAssignment.newBuilder().setClusterName("c1").build())));
    return new XdsResources(KEY, m);
  }

  @Test
  void withholdsBadSetsAndKeepsTheLastGoodOne() {
    SnapshotPublisher p = new SnapshotPublisher(new XdsCache(new XdsCache.Listener() {}, new StreamTracker()),
        new SimpleMeterRegistry());
    XdsResources good = set(routes("c1", 10), cluster("c1", 250_000_000));
    assertThat(p.publish(Map.of(KEY, good)).published()).isEqualTo(1);

    // A weight change: only the route configuration differs (the cheap path) and it is fine.
    XdsResources weight = set(routes("c1", 50), cluster("c1", 250_000_000));
    assertThat(p.publish(Map.of(KEY, weight)).published()).isEqualTo(1);
    assertThat(p.current(KEY)).isSameAs(weight);

    // Only the route configuration differs again, but it sends to a cluster the set lacks.
    XdsResources dangling = set(routes("c9", 50), cluster("c1", 250_000_000));
    SnapshotPublisher.Result r = p.publish(Map.of(KEY, dangling));
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(p.current(KEY)).isSameAs(weight);

    // A cluster breaks Envoy's rules (connect_timeout must be > 0): withheld as well.
    XdsResources zeroTimeout = set(routes("c1", 50), cluster("c1", 0));
    assertThat(p.publish(Map.of(KEY, zeroTimeout)).rejected()).isEqualTo(1);
    assertThat(p.current(KEY)).isSameAs(weight);

    // And a good change after the bad ones goes out.
    XdsResources back = set(routes("c1", 20), cluster("c1", 500_000_000));
    assertThat(p.publish(Map.of(KEY, back)).published()).isEqualTo(1);
    assertThat(p.current(KEY)).isSameAs(back);
  }

  /**
   * Route configurations are each proxy's own and every change makes new ones: the publisher keeps
   * nothing per configuration (it kept an entry per configuration and change, 3 KB of every held
   * stream in the benchmark), and still checks each new one against Envoy's rules.
   */
  @Test
  void routeChangesLeaveNoStateBehindAndAreStillChecked() {
    SnapshotPublisher p = new SnapshotPublisher(new XdsCache(new XdsCache.Listener() {}, new StreamTracker()),
        new SimpleMeterRegistry());
    assertThat(p.publish(Map.of(KEY, set(routes("c1", 1), cluster("c1", 250_000_000)))).published()).isEqualTo(1);
    int known = p.knownResources();
    assertThat(known).as("the listener, clusters and load assignments").isEqualTo(5);
    for (int w = 2; w < 60; w++) {
      assertThat(p.publish(Map.of(KEY, set(routes("c1", w), cluster("c1", 250_000_000)))).published()).isEqualTo(1);
    }
    assertThat(p.knownResources()).isEqualTo(known);

    // A virtual host without domains breaks Envoy's rules (domains: min_items 1): still withheld.
    XdsResources.Resource bad = XdsResources.Resource.of("rds_1", RouteConfiguration.newBuilder().setName("rds_1")
        .addVirtualHosts(VirtualHost.newBuilder().setName("svc").addRoutes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/")).setRoute(RouteAction.newBuilder().setCluster("c0"))))
        .build());
    XdsResources before = p.current(KEY);
    assertThat(p.publish(Map.of(KEY, set(bad, cluster("c1", 250_000_000)))).rejected()).isEqualTo(1);
    assertThat(p.current(KEY)).isSameAs(before);
  }
}
