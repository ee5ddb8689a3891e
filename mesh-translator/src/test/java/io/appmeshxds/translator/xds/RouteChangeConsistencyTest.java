package io.appmeshxds.translator.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.plan.NodeKey;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shortcut the publisher takes after a route-only change gives the same answer as checking
 * everything, and declines (null) whenever anything but route contents differs.
 */
class RouteChangeConsistencyTest {
  private static final NodeKey KEY = NodeKey.sidecar("m", "a_demo");
  private static final List<String> CLUSTERS = List.of("c0", "c1", "c2", "c3");

  private static XdsResources.Resource cluster(String name, int timeoutSeconds) {
    return XdsResources.Resource.of(name, Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeoutSeconds)).build());
  }

  private static XdsResources.Resource cla(String name) {
    return XdsResources.Resource.of(name, ClusterLoadAssignment.newBuilder().setClusterName(name).build());
  }

  /** A route configuration splitting traffic over {@code targets} with the given weights. */
  private static XdsResources.Resource routes(String name, List<String> targets, List<Integer> weights) {
    WeightedCluster.Builder w = WeightedCluster.newBuilder();
    for (int i = 0; i < targets.size(); i++) {
      w.addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(targets.get(i))
          .setWeight(com.google.protobuf.UInt32Value.of(weights.get(i))));
    }
    Route r = Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setWeightedClusters(w)).build();
    return XdsResources.Resource.of(name, RouteConfiguration.newBuilder().setName(name)
        .addVirtualHosts(VirtualHost.newBuilder().setName("svc").addDomains("svc").addRoutes(r)).build());
  }

  private static XdsResources set(List<XdsResources.Resource> routes, List<XdsResources.Resource> clusters,
      List<XdsResources.Resource> clas) {
    Map<XdsResources.Type, List<XdsResources.Resource>> m = new EnumMap<>(XdsResources.Type.class);
    m.put(XdsResources.Type.ROUTE, routes);
    m.put(XdsResources.Type.CLUSTER, clusters);
    m.put(XdsResources.Type.ENDPOINT, clas);
    return new XdsResources(KEY, m);
  }

  @Test
  void agreesWithTheFullCheckAfterRouteChangesAndDeclinesOtherChanges() {
    Random rnd = new Random(11);
    List<XdsResources.Resource> clusters = new ArrayList<>();
    List<XdsResources.Resource> clas = new ArrayList<>();
    for (String c : CLUSTERS) {
      clusters.add(cluster(c, 1));
      clas.add(cla(c));
    }
    XdsResources before = set(List.of(routes("rds_1", List.of("c0", "c1"), List.of(90, 10))), clusters, clas);
    // No listener in these sets: the route configuration is unreferenced, and nothing else is wrong.
    assertThat(XdsChecks.consistency(before)).containsExactly("route configuration rds_1 is not referenced by any listener");
    int checked = 0;
    int declined = 0;
    for (int step = 0; step < 300; step++) {
      List<String> targets = new ArrayList<>();
      List<Integer> weights = new ArrayList<>();
      for (int i = 0; i < 1 + rnd.nextInt(3); i++) {
        // Now and then a target that has no cluster.
        targets.add(rnd.nextInt(6) == 0 ? "gone" + i : CLUSTERS.get(rnd.nextInt(CLUSTERS.size())));
        weights.add(1 + rnd.nextInt(99));
      }
      List<XdsResources.Resource> cs = new ArrayList<>(clusters);
      List<XdsResources.Resource> es = new ArrayList<>(clas);
      String routeName = "rds_1";
      switch (rnd.nextInt(5)) {
        case 0 -> cs.set(rnd.nextInt(cs.size()), cluster(CLUSTERS.get(rnd.nextInt(CLUSTERS.size())), 2));
        case 1 -> es.remove(rnd.nextInt(es.size()));
        case 2 -> routeName = "rds_2";
        default -> { }
      }
      XdsResources after = set(List.of(routes(routeName, targets, weights)), cs, es);
      List<String> shortcut = XdsChecks.consistencyAfterRouteChange(before, after, new java.util.IdentityHashMap<>());
      List<String> full = XdsChecks.consistency(after);
      boolean onlyRoutes = cs.equals(clusters) && es.equals(clas) && routeName.equals("rds_1");
      if (onlyRoutes) {
        checked++;
        // The full check also reports the route configuration no listener loads; the shortcut
        // only re-checks what the change can break (the route's own references).
        assertThat(shortcut).isNotNull();
        assertThat(shortcut).containsExactlyInAnyOrderElementsOf(
            full.stream().filter(p -> !p.contains("is not referenced by any listener")).toList());
      } else {
        declined++;
        assertThat(shortcut).as("step %d: more than route contents changed", step).isNull();
      }
    }
    assertThat(checked).isGreaterThan(100);
    assertThat(declined).isGreaterThan(50);
  }
}
