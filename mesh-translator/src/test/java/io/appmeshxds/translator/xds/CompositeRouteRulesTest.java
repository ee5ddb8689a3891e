package io.appmeshxds.translator.xds;

import io.appmeshxds.translator.xds.rules.ProtoRules;
import io.appmeshxds.translator.xds.rules.Violation;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checking a route configuration's virtual hosts one by one (with a cache by instance) reports
 * exactly what checking the whole configuration reports, and a cached host is not checked again.
 */
class CompositeRouteRulesTest {

  @Test
  void hostByHostEqualsWhole() {
    VirtualHost good = VirtualHost.newBuilder().setName("a").addDomains("a").addRoutes(Route.newBuilder()
        .setMatch(RouteMatch.newBuilder().setPrefix("/")).setRoute(RouteAction.newBuilder().setCluster("c"))).build();
    VirtualHost noDomains = VirtualHost.newBuilder().setName("b").build();
    VirtualHost noName = VirtualHost.newBuilder().addDomains("c").addRoutes(Route.newBuilder()
        .setRoute(RouteAction.newBuilder().setCluster(""))).build();
    RouteConfiguration rc = RouteConfiguration.newBuilder().setName("rds").addVirtualHosts(good).addVirtualHosts(noDomains)
        .addVirtualHosts(noName).addVirtualHosts(noDomains).build();
    XdsResources.Resource x = XdsResources.Resource.of("rds", rc);

    List<String> whole = ProtoRules.check(rc).stream().map(v -> "routes rds: " + v.path() + ": " + v.message()).toList();
    Map<com.google.protobuf.Message, List<Violation>> cache = new IdentityHashMap<>();
    List<String> composite = XdsChecks.rules(XdsResources.Type.ROUTE, x, cache);

    assertThat(whole).isNotEmpty().anyMatch(s -> s.contains("virtual_hosts[3]"));
    assertThat(composite).containsExactlyInAnyOrderElementsOf(whole);
    assertThat(cache).hasSize(3); // the repeated host was checked once
  }
}
