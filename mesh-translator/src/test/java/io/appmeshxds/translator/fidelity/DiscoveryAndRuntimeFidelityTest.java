package io.appmeshxds.translator.fidelity;

import static io.appmeshxds.translator.fidelity.AppMeshFidelityTest.HTTP_8080;
import static io.appmeshxds.translator.fidelity.AppMeshFidelityTest.sidecar;
import static io.appmeshxds.translator.fidelity.Manifests.client;
import static io.appmeshxds.translator.fidelity.Manifests.join;
import static io.appmeshxds.translator.fidelity.Manifests.mesh;
import static io.appmeshxds.translator.fidelity.Manifests.node;
import static io.appmeshxds.translator.fidelity.Manifests.nodeService;
import static io.appmeshxds.translator.fidelity.Rendered.effectiveRetry;
import static io.appmeshxds.translator.fidelity.Rendered.route;
import static io.appmeshxds.translator.fidelity.Rendered.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.re2.Re2ProgramSize;
import io.appmeshxds.translator.xds.BootstrapFactory;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.metrics.v3.TagSpecifier;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What Envoy resolved and ran under App Mesh, fact by fact (numbers of {@code appmesh-fidelity.md}'s
 * table): DNS discovery, the RE2 limit the bootstrap and validation share, and what Flagger's
 * objects and query get; checked on the resources (and bootstrap) a node receives.
 */
class DiscoveryAndRuntimeFidelityTest {

  /**
   * D2, roadmap: a DNS-discovered backend is a cluster Envoy resolves itself, {@code LOGICAL_DNS}
   * ({@code STRICT_DNS} for {@code responseType: ENDPOINTS}), whose one endpoint is the hostname
   * exactly as written (trailing dot kept, a bare name left bare) on the listener's port; the
   * sidecar reads no EndpointSlice. A proxyless gRPC client of the same node gets EDS from the slice.
   */
  @Test
  void dnsDiscoveryIsResolvedByEnvoyOnTheHostnameAsWritten_fact8() {
    Rendered r = Rendered.sidecars(join("# golden: proxyless=shop/frontend_shop\n" + mesh("shop", false), """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: catalog, namespace: shop}
        spec:
          listeners: [{portMapping: {port: 8080, protocol: http}}]
          serviceDiscovery: {dns: {hostname: catalog.shop.svc.cluster.local.}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: search, namespace: shop}
        spec:
          listeners: [{portMapping: {port: 9200, protocol: http}}]
          serviceDiscovery: {dns: {hostname: search-headless.shop.svc.cluster.local, responseType: ENDPOINTS}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: yelb-db, namespace: shop}
        spec:
          listeners: [{portMapping: {port: 5432, protocol: tcp}}]
          serviceDiscovery: {dns: {hostname: yelb-db}}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: catalog-x7k2p, namespace: shop, labels: {kubernetes.io/service-name: catalog}}
        addressType: IPv4
        ports: [{name: http, protocol: TCP, port: 8080}]
        endpoints: [{addresses: [10.1.4.17], conditions: {ready: true}}]
        """, nodeService("shop", "catalog", "catalog"), nodeService("shop", "search", "search"),
        nodeService("shop", "yelb-db", "yelb-db"), client("shop", "frontend", "catalog", "search", "yelb-db")));
    NodeKey frontend = sidecar("shop", "frontend_shop");
    Cluster catalog = r.cluster(frontend, "cds_egress_shop_catalog_shop_http_8080");
    assertThat(catalog.getType()).isEqualTo(Cluster.DiscoveryType.LOGICAL_DNS);
    assertThat(onlyEndpoint(catalog)).isEqualTo(address("catalog.shop.svc.cluster.local.", 8080));
    Cluster search = r.cluster(frontend, "cds_egress_shop_search_shop_http_9200");
    assertThat(search.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
    assertThat(onlyEndpoint(search)).isEqualTo(address("search-headless.shop.svc.cluster.local", 9200));
    Cluster yelb = r.cluster(frontend, "cds_egress_shop_yelb-db_shop_tcp_5432");
    assertThat(yelb.getType()).isEqualTo(Cluster.DiscoveryType.LOGICAL_DNS);
    assertThat(onlyEndpoint(yelb)).isEqualTo(address("yelb-db", 5432));
    assertThat(r.node(frontend).get(XdsResources.Type.ENDPOINT)).as("the sidecar's endpoints").isEmpty();

    NodeKey proxyless = NodeKey.proxyless("shop", "frontend_shop", Dialect.GRPC);
    assertThat(r.cluster(proxyless, "cds_egress_shop_catalog_shop_http_8080").getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    List<ClusterLoadAssignment> assignments = r.node(proxyless).protos(XdsResources.Type.ENDPOINT);
    assertThat(assignments).filteredOn(a -> a.getClusterName().equals("cds_egress_shop_catalog_shop_http_8080"))
        .singleElement().satisfies(a -> assertThat(a.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
            .getSocketAddress()).isEqualTo(address("10.1.4.17", 8080)));
  }

  static SocketAddress onlyEndpoint(Cluster c) {
    ClusterLoadAssignment a = c.getLoadAssignment();
    assertThat(a.getEndpointsCount()).as("localities of %s", c.getName()).isEqualTo(1);
    assertThat(a.getEndpoints(0).getLbEndpointsCount()).as("endpoints of %s", c.getName()).isEqualTo(1);
    return a.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
  }

  static SocketAddress address(String host, int port) {
    return SocketAddress.newBuilder().setAddress(host).setPortValue(port).build();
  }

  /**
   * AG, D2: the bootstrap raises RE2's program size limit to 1000, and translation judges route
   * regexes by that same value: a header regex of exactly the bootstrap's limit reaches Envoy, one
   * instruction more keeps the router (and the route configuration Envoy would reject) out.
   */
  @Test
  void validationJudgesRegexesByTheLimitTheBootstrapSets_fact10() {
    Bootstrap b = BootstrapFactory.build(new BootstrapFactory.Settings("mesh/shop/virtualNode/frontend_shop",
        "appmesh-xds.appmesh-system", 18000, 9901, null, null));
    double limit = b.getLayeredRuntime().getLayers(0).getStaticLayer().getFieldsOrThrow("re2.max_program_size.error_level")
        .getNumberValue();
    assertThat(limit).isEqualTo(1000);
    // x{n}: n byte ranges plus the match, the fail instruction and the unanchored loop's two.
    String atLimit = "x{" + ((int) limit - 4) + "}";
    String overLimit = "x{" + ((int) limit - 3) + "}";
    // (Exact for this shape: both bounds are the size.)
    assertThat(Re2ProgramSize.of(atLimit).upper()).isEqualTo((int) limit);
    assertThat(Re2ProgramSize.of(overLimit).lower()).isEqualTo((int) limit + 1);
    // Between Envoy's default (100) and App Mesh's 1000: served, as App Mesh served it.
    String between = "^[a-z]{1,100}$";
    assertThat(Re2ProgramSize.of(between).lower()).isGreaterThan(100);
    assertThat(Re2ProgramSize.of(between).upper()).isLessThan(1000);

    Rendered r = Rendered.sidecars(join(mesh("shop", false), node("shop", "color-green", HTTP_8080),
        regexRouter("at-limit", atLimit), regexRouter("over-limit", overLimit), regexRouter("between", between),
        client("shop", "frontend", "at-limit", "over-limit", "between")));
    RouteConfiguration rc = r.routeConfig(sidecar("shop", "frontend_shop"), "rds_egress_http_8080");
    assertThat(rc.getVirtualHostsList()).extracting(VirtualHost::getName).containsExactlyInAnyOrder("at-limit.shop", "between.shop");
    assertThat(headerRegex(virtualHost(rc, "at-limit.shop"))).isEqualTo(atLimit);
    assertThat(headerRegex(virtualHost(rc, "between.shop"))).isEqualTo(between);
  }

  /** Router and service {@code name} (port 8080, to color-green) whose one route matches header x-build by {@code regex}. */
  static String regexRouter(String name, String regex) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualRouter
        metadata: {name: %s, namespace: shop}
        spec:
          listeners: [{portMapping: {port: 8080, protocol: http}}]
          routes:
            - name: build
              httpRoute:
                match: {prefix: /, headers: [{name: x-build, match: {regex: "%s"}}]}
                action: {weightedTargets: [{virtualNodeRef: {name: color-green}, weight: 1}]}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: %s, namespace: shop}
        spec: {provider: {virtualRouter: {virtualRouterRef: {name: %s}}}}
        """.formatted(name, regex, name, name);
  }

  static String headerRegex(VirtualHost vh) {
    Route build = route(vh, "build");
    assertThat(build.getMatch().getHeadersList()).hasSize(1);
    return build.getMatch().getHeaders(0).getStringMatch().getSafeRegex().getRegex();
  }

  /**
   * D2, Flagger's App Mesh observer: the objects Flagger creates from a Canary with D2's retries
   * ({@code gateway-error,client-error,stream-error}, 1 attempt, 5 s) give the route D2 shows —
   * {@code reset,refused-stream,retriable-status-codes}, codes 502, 503, 504, 409, previous hosts
   * with 5 attempts — at canary 0 / primary 100; and Flagger's query, {@code
   * envoy_cluster_upstream_rq{envoy_response_code}} on the canary pods, has its series: the canary
   * pod's Envoy serves through its {@code cds_ingress} cluster, and the bootstrap keeps Envoy's
   * default tags on, with no tag of ours reaching into a cluster's stat names.
   */
  @Test
  void flaggersRetryPolicyAndTheMetricItsQueryReads_fact19() {
    Rendered r = Rendered.sidecars(join(mesh("shop", false), """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: podinfo, namespace: shop}
        spec:
          selector: {matchLabels: {app: podinfo}}
          template:
            metadata: {labels: {app: podinfo}}
            spec: {containers: [{name: podinfod, image: ghcr.io/stefanprodan/podinfo:6.5.0}]}
        ---
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: {name: podinfo, namespace: shop}
        spec:
          provider: appmesh:v1beta2
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          service:
            port: 9898
            retries: {attempts: 1, perTryTimeout: 5s, retryOn: "gateway-error,client-error,stream-error"}
          analysis: {interval: 15s, threshold: 5, maxWeight: 50, stepWeight: 10}
        """, client("shop", "loadtester", "podinfo", "podinfo-canary")));
    String canary = "cds_egress_shop_podinfo-canary_shop_http_9898";
    String primary = "cds_egress_shop_podinfo-primary_shop_http_9898";
    RouteConfiguration rc = r.routeConfig(sidecar("shop", "loadtester_shop"), "rds_egress_http_9898");
    VirtualHost apex = virtualHost(rc, "podinfo.shop");
    Route podinfo = route(apex, "podinfo");
    assertThat(podinfo.getRoute().getWeightedClusters().getClustersList())
        .extracting(WeightedCluster.ClusterWeight::getName, c -> c.getWeight().getValue())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(canary, 0), org.assertj.core.groups.Tuple.tuple(primary, 100));
    RetryPolicy retry = effectiveRetry(apex, podinfo);
    assertThat(retry.getRetryOn()).isEqualTo("reset,refused-stream,retriable-status-codes");
    assertThat(retry.getRetriableStatusCodesList()).containsExactly(502, 503, 504, 409);
    assertThat(retry.getNumRetries().getValue()).isEqualTo(1);
    assertThat(Durations.toMillis(retry.getPerTryTimeout())).isEqualTo(5_000);
    assertThat(retry.getHostSelectionRetryMaxAttempts()).isEqualTo(5);
    assertThat(retry.getRetryHostPredicateList()).singleElement()
        .satisfies(h -> assertThat(h.getName()).isEqualTo("envoy.retry_host_predicates.previous_hosts"));
    assertThat(effectiveRetry(virtualHost(rc, "podinfo-canary.shop"), route(virtualHost(rc, "podinfo-canary.shop"),
        "podinfo-canary"))).isEqualTo(retry);

    NodeKey canaryPod = sidecar("shop", "podinfo-canary_shop");
    String served = "cds_ingress_shop_podinfo-canary_shop_http_9898";
    assertThat(r.routeConfig(canaryPod, "rds_ingress_http_9898").getVirtualHosts(0).getRoutes(0).getRoute().getCluster())
        .isEqualTo(served);
    Bootstrap b = BootstrapFactory.build(new BootstrapFactory.Settings(canaryPod.nodeId(), "appmesh-xds.appmesh-system",
        18000, 9901, null, null));
    assertThat(b.getStatsConfig().hasUseAllDefaultTags()).isTrue();
    assertThat(b.getStatsConfig().getUseAllDefaultTags().getValue()).isTrue();
    assertThat(b.getStatsConfig().hasStatsMatcher()).as("no stats excluded").isFalse();
    for (String stat : List.of("cluster." + served + ".upstream_rq_200", "cluster." + served + ".upstream_rq_503",
        "cluster." + served + ".upstream_rq_time")) {
      for (TagSpecifier t : b.getStatsConfig().getStatsTagsList()) {
        if (!t.hasFixedValue()) {
          assertThat(Pattern.compile(t.getRegex()).matcher(stat).find()).as("tag %s on %s", t.getTagName(), stat).isFalse();
        }
      }
    }
  }
}
