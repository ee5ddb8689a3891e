package io.appmeshxds.translator.fidelity;

import static io.appmeshxds.translator.fidelity.Manifests.canary;
import static io.appmeshxds.translator.fidelity.Manifests.client;
import static io.appmeshxds.translator.fidelity.Manifests.join;
import static io.appmeshxds.translator.fidelity.Manifests.mesh;
import static io.appmeshxds.translator.fidelity.Manifests.node;
import static io.appmeshxds.translator.fidelity.Manifests.nodeService;
import static io.appmeshxds.translator.fidelity.Rendered.effectiveRetry;
import static io.appmeshxds.translator.fidelity.Rendered.route;
import static io.appmeshxds.translator.fidelity.Rendered.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.BoolValue;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What App Mesh pushed to a sidecar, fact by fact (numbers of {@code appmesh-fidelity.md}'s table),
 * checked on the Envoy resources a sidecar receives for small manifests shaped like the public
 * cases (D1: a sidecar's config dump; D2: a gateway's).
 */
class AppMeshFidelityTest {
  static final String HTTP_8080 = "[{portMapping: {port: 8080, protocol: http}}]";

  static NodeKey sidecar(String mesh, String node) {
    return NodeKey.sidecar(mesh, node);
  }

  /** D1: a route without a retry policy, and a VirtualNode-provided service, get App Mesh's default. */
  @Test
  void defaultRetryPolicyIncludesReset_fact4() {
    Rendered r = Rendered.sidecars(join(mesh("shop", false),
        node("shop", "color-green", HTTP_8080), nodeService("shop", "color-green", "color-green"),
        canary("shop", "podinfo", 9898),
        client("shop", "frontend", "color-green", "podinfo")));
    NodeKey frontend = sidecar("shop", "frontend_shop");

    RouteConfiguration nodeProvided = r.routeConfig(frontend, "rds_egress_http_8080");
    VirtualHost green = virtualHost(nodeProvided, "color-green.shop");
    assertDefaultRetry(effectiveRetry(green, route(green, "color-green.shop")));

    RouteConfiguration routed = r.routeConfig(frontend, "rds_egress_http_9898");
    VirtualHost podinfo = virtualHost(routed, "podinfo.shop");
    assertDefaultRetry(effectiveRetry(podinfo, route(podinfo, "podinfo")));
  }

  /** D1, D2: local app clusters 0.250 s, egress clusters (backends, pass-throughs) 1 s. */
  @Test
  void connectTimeoutsAreQuarterSecondLocallyAndOneSecondOutbound_fact18() {
    Rendered r = Rendered.sidecars(join(mesh("shop", true),
        node("shop", "color-green", HTTP_8080), nodeService("shop", "color-green", "color-green"),
        client("shop", "frontend", "color-green")));
    NodeKey green = sidecar("shop", "color-green_shop");
    NodeKey frontend = sidecar("shop", "frontend_shop");
    assertThat(Durations.toMillis(r.cluster(green, "cds_ingress_shop_color-green_shop_http_8080").getConnectTimeout()))
        .isEqualTo(250);
    for (String egress : List.of("cds_egress_shop_color-green_shop_http_8080", "cds_egress_shop_amazonaws",
        "cds_egress_shop_mesh-allow-all")) {
      assertThat(Durations.toMillis(r.cluster(frontend, egress).getConnectTimeout())).as(egress).isEqualTo(1000);
    }
  }

  /** D1: the *.amazonaws.com, port-443 and catch-all chains' tcp_proxy all count under "egress"; so do tcp backends. */
  @Test
  void everyEgressTcpProxyHasStatPrefixEgress_fact15() {
    String tcp = "[{portMapping: {port: 5432, protocol: tcp}}]";
    Rendered r = Rendered.sidecars(join(mesh("shop", true),
        node("shop", "db", tcp), nodeService("shop", "db", "db"),
        client("shop", "frontend", "db")));
    Listener egress = r.listener(sidecar("shop", "frontend_shop"), "lds_egress_0.0.0.0_15001");
    List<String> tcpChains = new ArrayList<>();
    for (FilterChain c : egress.getFilterChainsList()) {
      if (c.getFilters(c.getFiltersCount() - 1).getTypedConfig().is(TcpProxy.class)) {
        tcpChains.add(c.getName());
        assertThat(Rendered.tcpProxy(c).getStatPrefix()).as("chain %s", c.getName()).isEqualTo("egress");
      }
    }
    assertThat(tcpChains).containsExactlyInAnyOrder("egress_tcp_5432", "amazonaws", "allow_all_443", "allow_all");
  }

  /**
   * D1: {@code drain_connections_on_host_removal} (v3: {@code ignore_health_on_host_removal}) on an
   * EDS backend cluster; not on the local cluster, the pass-throughs, or a proxyless client's
   * clusters (gRPC ignores it).
   */
  @Test
  void edsBackendClustersIgnoreHealthOnHostRemoval_fact16() {
    // Envoy proxies get EDS backend clusters with per-pod endpoints (the opt-in; App Mesh's own EDS
    // clusters were Cloud Map's); DNS-discovered backends are LOGICAL_DNS without it.
    Rendered r = Rendered.sidecars(join("# golden: proxyless=shop/frontend_shop\n# golden: perPod=shop\n" + mesh("shop", true),
        node("shop", "color-green", HTTP_8080), nodeService("shop", "color-green", "color-green"),
        client("shop", "frontend", "color-green")));
    NodeKey frontend = sidecar("shop", "frontend_shop");
    List<Cluster> clusters = new ArrayList<>(r.node(frontend).<Cluster>protos(XdsResources.Type.CLUSTER));
    clusters.addAll(r.node(sidecar("shop", "color-green_shop")).protos(XdsResources.Type.CLUSTER));
    assertThat(clusters).as("an EDS backend cluster (the per-pod opt-in)").anyMatch(c -> c.getType() == Cluster.DiscoveryType.EDS);
    assertThat(clusters).extracting(Cluster::getType).contains(Cluster.DiscoveryType.STATIC,
        Cluster.DiscoveryType.ORIGINAL_DST);
    for (Cluster c : clusters) {
      assertThat(c.getIgnoreHealthOnHostRemoval()).as("%s (%s)", c.getName(), c.getType())
          .isEqualTo(c.getType() == Cluster.DiscoveryType.EDS);
    }
    assertThat(r.cluster(frontend, "cds_egress_shop_color-green_shop_http_8080").getIgnoreHealthOnHostRemoval()).isTrue();
    NodeKey proxyless = NodeKey.proxyless("shop", "frontend_shop", Dialect.GRPC);
    Cluster grpc = r.cluster(proxyless, "cds_egress_shop_color-green_shop_http_8080");
    assertThat(grpc.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(grpc.getIgnoreHealthOnHostRemoval()).isFalse();
  }

  /**
   * D1: the callers' cds_egress cluster health-checks the node with Host
   * {@code <discovery hostname>:<health check port>} (the listener's port when unset), without
   * the hostname's trailing dot. gRPC's {@code authority} follows the same rule (our decision).
   */
  @Test
  void healthCheckHostCarriesTheCheckedPort_fact17() {
    String hc = "{protocol: %s, path: /health, intervalMillis: 5000, timeoutMillis: 2000, healthyThreshold: 2, "
        + "unhealthyThreshold: 2%s}";
    Rendered r = Rendered.sidecars(join(mesh("shop", false), """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: color-green-opa, namespace: shop}
        spec:
          listeners:
            - {portMapping: {port: 9001, protocol: http}, healthCheck: %s}
            - {portMapping: {port: 8080, protocol: http}, healthCheck: %s}
            - {portMapping: {port: 9090, protocol: grpc}, healthCheck: %s}
          serviceDiscovery: {dns: {hostname: color-green-opa.shop.svc.cluster.local.}}
        """.formatted(hc.formatted("http", ""), hc.formatted("http", ", port: 8081"), hc.formatted("grpc", "")),
        nodeService("shop", "color-green-opa", "color-green-opa"),
        client("shop", "frontend", "color-green-opa")));
    NodeKey frontend = sidecar("shop", "frontend_shop");
    HealthCheck h9001 = r.cluster(frontend, "cds_egress_shop_color-green-opa_shop_http_9001").getHealthChecks(0);
    assertThat(h9001.getHttpHealthCheck().getHost()).isEqualTo("color-green-opa.shop.svc.cluster.local:9001");
    assertThat(h9001.getHttpHealthCheck().getPath()).isEqualTo("/health");
    HealthCheck h8080 = r.cluster(frontend, "cds_egress_shop_color-green-opa_shop_http_8080").getHealthChecks(0);
    assertThat(h8080.getHttpHealthCheck().getHost()).isEqualTo("color-green-opa.shop.svc.cluster.local:8081");
    HealthCheck grpc = r.cluster(frontend, "cds_egress_shop_color-green-opa_shop_grpc_9090").getHealthChecks(0);
    assertThat(grpc.getGrpcHealthCheck().getAuthority()).isEqualTo("color-green-opa.shop.svc.cluster.local:9090");
  }

  /**
   * Roadmap #443/#444: a caller's route to a VirtualNode-provided service keeps App Mesh's 15 s
   * (idle 300 s) whatever the provider listener's timeout; the provider's own ingress route keeps
   * the listener's. Proxyless callers get the 15 s as max_stream_duration.
   */
  @Test
  void nodeProvidedServiceKeepsDefaultTimeoutsOnTheCaller_fact9() {
    Rendered r = Rendered.sidecars(join("# golden: proxyless=shop/frontend_shop\n" + mesh("shop", false),
        node("shop", "inventory", "[{portMapping: {port: 8080, protocol: http}, timeout: {http: "
            + "{perRequest: {unit: s, value: 60}, idle: {unit: s, value: 600}}}}]"),
        nodeService("shop", "inventory", "inventory"),
        client("shop", "frontend", "inventory")));
    VirtualHost vh = virtualHost(r.routeConfig(sidecar("shop", "frontend_shop"), "rds_egress_http_8080"), "inventory.shop");
    RouteAction caller = route(vh, "inventory.shop").getRoute();
    assertThat(Durations.toMillis(caller.getTimeout())).isEqualTo(15_000);
    assertThat(Durations.toMillis(caller.getIdleTimeout())).isEqualTo(300_000);

    VirtualHost local = r.routeConfig(sidecar("shop", "inventory_shop"), "rds_ingress_http_8080").getVirtualHosts(0);
    assertThat(Durations.toMillis(local.getRoutes(0).getRoute().getTimeout())).isEqualTo(60_000);
    assertThat(Durations.toMillis(local.getRoutes(0).getRoute().getIdleTimeout())).isEqualTo(600_000);

    VirtualHost grpc = virtualHost(r.routeConfig(NodeKey.proxyless("shop", "frontend_shop", Dialect.GRPC),
        "rds_egress_http_8080"), "inventory.shop");
    assertThat(Durations.toMillis(grpc.getRoutes(0).getRoute().getMaxStreamDuration().getMaxStreamDuration()))
        .isEqualTo(15_000);
  }

  /**
   * UG metrics: a node with a single listener counts ingress under {@code ingress}; with several,
   * each listener's under {@code ingress.<protocol>.<port>}. Egress HCMs stay {@code egress}.
   */
  @Test
  void ingressStatPrefixNamesProtocolAndPortOnlyWithMultipleListeners_fact14() {
    Rendered r = Rendered.sidecars(join(mesh("shop", false),
        node("shop", "color-green", HTTP_8080), nodeService("shop", "color-green", "color-green"),
        node("shop", "multi", "[{portMapping: {port: 5555, protocol: http}}, {portMapping: {port: 6666, protocol: http}},"
            + " {portMapping: {port: 9090, protocol: grpc}}, {portMapping: {port: 5432, protocol: tcp}}]"),
        client("shop", "frontend", "color-green")));
    Listener single = r.listener(sidecar("shop", "color-green_shop"), "lds_ingress_0.0.0.0_15000");
    assertThat(Rendered.hcm(Rendered.chain(single, "ingress_http_8080")).getStatPrefix()).isEqualTo("ingress");

    Listener multi = r.listener(sidecar("shop", "multi_shop"), "lds_ingress_0.0.0.0_15000");
    assertThat(Rendered.hcm(Rendered.chain(multi, "ingress_http_5555")).getStatPrefix()).isEqualTo("ingress.http.5555");
    assertThat(Rendered.hcm(Rendered.chain(multi, "ingress_http_6666")).getStatPrefix()).isEqualTo("ingress.http.6666");
    assertThat(Rendered.hcm(Rendered.chain(multi, "ingress_grpc_9090")).getStatPrefix()).isEqualTo("ingress.grpc.9090");
    assertThat(Rendered.tcpProxy(Rendered.chain(multi, "ingress_tcp_5432")).getStatPrefix()).isEqualTo("ingress.tcp.5432");

    Listener egress = r.listener(sidecar("shop", "frontend_shop"), "lds_egress_0.0.0.0_15001");
    assertThat(Rendered.hcm(Rendered.chain(egress, "egress_http_8080")).getStatPrefix()).isEqualTo("egress");
  }

  /**
   * D2: an egress virtual host's domains are exactly the virtual service's App Mesh name and
   * {@code <name>:<port>} — no Kubernetes short or {@code .svc} forms, even for a client in the
   * Service's namespace. Proxyless clients address {@code <name>:<port>} (and {@code <name>}).
   */
  @Test
  void egressVirtualHostDomainsAreExactlyNameAndNamePort_fact7() {
    Rendered r = Rendered.sidecars(join("# golden: proxyless=prod/frontend_prod\n" + mesh("prod", false), """
        apiVersion: v1
        kind: Service
        metadata: {name: app-100032265, namespace: prod}
        spec: {ports: [{port: 15001}]}
        """, canary("prod", "app-100032265", 15001),
        client("prod", "frontend", "app-100032265")));
    VirtualHost vh = virtualHost(r.routeConfig(sidecar("prod", "frontend_prod"), "rds_egress_http_15001"),
        "app-100032265.prod");
    assertThat(vh.getDomainsList()).containsExactly("app-100032265.prod", "app-100032265.prod:15001");

    NodeKey proxyless = NodeKey.proxyless("prod", "frontend_prod", Dialect.GRPC);
    assertThat(virtualHost(r.routeConfig(proxyless, "rds_egress_http_15001"), "app-100032265.prod").getDomainsList())
        .containsExactly("app-100032265.prod", "app-100032265.prod:15001");
    r.listener(proxyless, "app-100032265.prod:15001");
    r.listener(proxyless, "app-100032265.prod");
  }

  /**
   * D1: under {@code egressFilter: ALLOW_ALL} every egress HTTP route configuration ends with the
   * {@code mesh_allow_all} virtual host to the original destination (no timeout, no retry), so
   * HTTP to a host outside the mesh on a backend's port is passed through, not answered 404; the
   * TCP pass-through chains stay. Not under DROP_ALL; not for proxyless gRPC clients, which cannot
   * use an ORIGINAL_DST cluster.
   */
  @Test
  void allowAllEndsEveryEgressRouteConfigurationWithThePassThroughHost_fact6() throws Exception {
    String backends = join(node("shop", "color-green", HTTP_8080), nodeService("shop", "color-green", "color-green"),
        canary("shop", "podinfo", 9898), client("shop", "frontend", "color-green", "podinfo"));
    Rendered open = Rendered.sidecars(join("# golden: proxyless=shop/frontend_shop\n" + mesh("shop", true), backends));
    NodeKey frontend = sidecar("shop", "frontend_shop");
    VirtualHost.Builder d1 = VirtualHost.newBuilder();
    JsonFormat.parser().merge("""
        {"name":"mesh_allow_all","domains":["*"],"routes":[{"match":{"prefix":"/"},
         "route":{"cluster":"cds_egress_shop_mesh-allow-all"}}]}""", d1);
    d1.getRoutesBuilder(0).getMatchBuilder().setCaseSensitive(BoolValue.of(true)); // Envoy's default, set on every match
    for (String rds : List.of("rds_egress_http_8080", "rds_egress_http_9898")) {
      RouteConfiguration rc = open.routeConfig(frontend, rds);
      assertThat(rc.getVirtualHostsCount()).as(rds).isEqualTo(2);
      assertThat(rc.getVirtualHosts(1)).as("last virtual host of %s", rds).isEqualTo(d1.build());
    }
    assertThat(open.cluster(frontend, "cds_egress_shop_mesh-allow-all").getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
    Listener egress = open.listener(frontend, "lds_egress_0.0.0.0_15001");
    assertThat(Rendered.tcpProxy(Rendered.chain(egress, "allow_all")).getCluster()).isEqualTo("cds_egress_shop_mesh-allow-all");
    assertThat(Rendered.tcpProxy(Rendered.chain(egress, "allow_all_443")).getCluster()).isEqualTo("cds_egress_shop_mesh-allow-all");

    NodeKey proxyless = NodeKey.proxyless("shop", "frontend_shop", Dialect.GRPC);
    for (String rds : List.of("rds_egress_http_8080", "rds_egress_http_9898")) {
      assertThat(open.routeConfig(proxyless, rds).getVirtualHostsList()).extracting(VirtualHost::getName)
          .as("proxyless %s", rds).doesNotContain("mesh_allow_all").hasSize(1);
    }
    assertThat(open.clusterNames(proxyless)).noneMatch(c -> c.contains("mesh-allow-all"));

    Rendered closed = Rendered.sidecars(join(mesh("shop", false), backends));
    for (String rds : List.of("rds_egress_http_8080", "rds_egress_http_9898")) {
      assertThat(closed.routeConfig(frontend, rds).getVirtualHostsList()).extracting(VirtualHost::getName)
          .as("DROP_ALL %s", rds).doesNotContain("mesh_allow_all");
    }
  }

  static void assertDefaultRetry(RetryPolicy p) {
    assertThat(p.getRetryOn()).isEqualTo("unavailable,reset,connect-failure,refused-stream,retriable-status-codes");
    assertThat(p.getNumRetries().getValue()).isEqualTo(2);
    assertThat(p.getRetriableStatusCodesList()).containsExactly(503);
    assertThat(p.getRetryHostPredicateList()).singleElement()
        .satisfies(h -> assertThat(h.getName()).isEqualTo("envoy.retry_host_predicates.previous_hosts"));
    assertThat(p.getHostSelectionRetryMaxAttempts()).isEqualTo(5);
    assertThat(p.hasPerTryTimeout()).isFalse();
  }
}
