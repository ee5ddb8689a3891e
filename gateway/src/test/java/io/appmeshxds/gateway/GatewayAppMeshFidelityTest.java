package io.appmeshxds.gateway;

import static io.appmeshxds.translator.fidelity.Manifests.canary;
import static io.appmeshxds.translator.fidelity.Manifests.join;
import static io.appmeshxds.translator.fidelity.Manifests.mesh;
import static io.appmeshxds.translator.fidelity.Manifests.node;
import static io.appmeshxds.translator.fidelity.Manifests.nodeService;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import io.appmeshxds.translator.fidelity.Rendered;
import io.appmeshxds.translator.plan.NodeKey;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What App Mesh pushed to a VirtualGateway, fact by fact (numbers of {@code appmesh-fidelity.md}'s
 * table), checked on the Envoy resources the gateway receives for small manifests shaped like the
 * public cases (D2: a Flagger gateway's config dump).
 */
class GatewayAppMeshFidelityTest {
  static final NodeKey GATEWAY = NodeKey.gateway("shop", "gw_shop");

  /** VirtualGateway gw in shop with {@code listeners} (a YAML flow sequence). */
  static String gateway(String listeners) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualGateway
        metadata: {name: gw, namespace: shop}
        spec:
          namespaceSelector: {matchLabels: {mesh: shop}}
          podSelector: {matchLabels: {app: gw}}
          listeners: %s
        """.formatted(listeners);
  }

  /** GatewayRoute {@code name} to virtual service {@code target} with an httpRoute match (and rewrite) in flow YAML. */
  static String gatewayRoute(String name, String target, String match, String rewrite) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: GatewayRoute
        metadata: {name: %s, namespace: shop}
        spec:
          httpRoute:
            match: %s
            action:
              target: {virtualService: {virtualServiceRef: {name: %s}}}
        %s""".formatted(name, match, target, rewrite.isEmpty() ? "" : "      rewrite: " + rewrite + "\n");
  }

  static Rendered render(String yaml) {
    return Rendered.with(GatewayGoldenTest.runner(), yaml);
  }

  /**
   * Roadmap #443/#444 at the gateway: a GatewayRoute to a VirtualNode-provided service routes with
   * App Mesh's 15 s (idle 300 s), not the node listener's timeout (App Mesh's second hop used the
   * same egress route a sidecar's caller has).
   */
  @Test
  void nodeProvidedServiceKeepsDefaultTimeoutsAtTheGateway_fact9() {
    Rendered r = render(join(mesh("shop", false), gateway("[{portMapping: {port: 8088, protocol: http}}]"),
        node("shop", "inventory", "[{portMapping: {port: 8080, protocol: http}, timeout: {http: "
            + "{perRequest: {unit: s, value: 60}, idle: {unit: s, value: 600}}}}]"),
        nodeService("shop", "inventory", "inventory"),
        gatewayRoute("inventory", "inventory", "{prefix: /inventory/}", "")));
    RouteAction a = r.routeConfig(GATEWAY, "rds_ingress_http_8088").getVirtualHosts(0).getRoutes(0).getRoute();
    assertThat(a.getCluster()).isEqualTo("cds_egress_shop_inventory_shop_http_8080");
    assertThat(Durations.toMillis(a.getTimeout())).isEqualTo(15_000);
    assertThat(Durations.toMillis(a.getIdleTimeout())).isEqualTo(300_000);
  }

  /** UG metrics, for gateways too: one listener counts under {@code ingress}, several under {@code ingress.<protocol>.<port>}. */
  @Test
  void ingressStatPrefixNamesProtocolAndPortOnlyWithMultipleListeners_fact14() {
    String target = join(node("shop", "inventory", "[{portMapping: {port: 8080, protocol: http}}]"),
        nodeService("shop", "inventory", "inventory"));
    Rendered single = render(join(mesh("shop", false), gateway("[{portMapping: {port: 8088, protocol: http}}]"), target,
        gatewayRoute("inventory", "inventory", "{prefix: /}", "")));
    Listener one = single.listener(GATEWAY, "lds_ingress_0.0.0.0_8088");
    assertThat(Rendered.hcm(Rendered.chain(one, "ingress_http_8088")).getStatPrefix()).isEqualTo("ingress");

    Rendered multiple = render(join(mesh("shop", false),
        gateway("[{portMapping: {port: 8088, protocol: http}}, {portMapping: {port: 8443, protocol: http2}}]"), target,
        gatewayRoute("inventory", "inventory", "{prefix: /, port: 8088}", "")));
    Listener http = multiple.listener(GATEWAY, "lds_ingress_0.0.0.0_8088");
    assertThat(Rendered.hcm(Rendered.chain(http, "ingress_http_8088")).getStatPrefix()).isEqualTo("ingress.http.8088");
    Listener http2 = multiple.listener(GATEWAY, "lds_ingress_0.0.0.0_8443");
    assertThat(Rendered.hcm(Rendered.chain(http2, "ingress_http2_8443")).getStatPrefix()).isEqualTo("ingress.http2.8443");
  }

  /**
   * D2: a GatewayRoute prefix {@code /x/} under the default prefix rewrite is also served as
   * {@code /x}, with the identical action ({@code prefix_rewrite: "/"}), ordered after {@code /x/};
   * a custom prefix rewrite ({@code /hot/} to {@code /hot/}) gets no twin. {@code defaultPrefix:
   * ENABLED} is the default rewrite; a value of {@code /} is custom (our reading).
   */
  @Test
  void prefixWithTrailingSlashUnderDefaultRewriteAlsoServesItsSlashlessTwin_fact12() {
    Rendered r = render(join(mesh("shop", false), gateway("[{portMapping: {port: 8088, protocol: http}}]"),
        canary("shop", "foxpage-server", 8080), canary("shop", "hot", 8080),
        canary("shop", "enabled", 8080), canary("shop", "root", 8080),
        gatewayRoute("foxpage-server", "foxpage-server", "{prefix: /foxpage-server/}", ""),
        gatewayRoute("hot", "hot", "{prefix: /hot/}", "{prefix: {value: /hot/}}"),
        gatewayRoute("enabled", "enabled", "{prefix: /enabled/}", "{prefix: {defaultPrefix: ENABLED}}"),
        gatewayRoute("root", "root", "{prefix: /root/}", "{prefix: {value: /}}")));
    List<Route> routes = r.routeConfig(GATEWAY, "rds_ingress_http_8088").getVirtualHosts(0).getRoutesList();
    List<String> prefixes = routes.stream().map(x -> x.getMatch().getPrefix()).toList();
    assertThat(prefixes).containsSubsequence("/foxpage-server/", "/foxpage-server")
        .containsSubsequence("/enabled/", "/enabled")
        .contains("/hot/", "/root/").doesNotContain("/hot", "/root");

    Route slash = byPrefix(routes, "/foxpage-server/");
    Route twin = byPrefix(routes, "/foxpage-server");
    assertThat(twin.getRoute()).isEqualTo(slash.getRoute());
    assertThat(twin.getRoute().getPrefixRewrite()).isEqualTo("/");
    assertThat(twin.getRoute().getWeightedClusters().getClustersList()).extracting(c -> c.getName())
        .containsExactly("cds_egress_shop_foxpage-server-primary_shop_http_8080",
            "cds_egress_shop_foxpage-server-canary_shop_http_8080");
    assertThat(twin.getRequestHeadersToAddList()).isEqualTo(slash.getRequestHeadersToAddList());
    assertThat(byPrefix(routes, "/enabled").getRoute().getPrefixRewrite()).isEqualTo("/");
    assertThat(byPrefix(routes, "/hot/").getRoute().getPrefixRewrite()).isEmpty(); // /hot/ -> /hot/: path unchanged
  }

  static Route byPrefix(List<Route> routes, String prefix) {
    return routes.stream().filter(x -> x.getMatch().getPrefix().equals(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no route with prefix " + prefix));
  }
}
