package io.appmeshxds.translator.fidelity;

import static io.appmeshxds.translator.fidelity.AppMeshFidelityTest.HTTP_8080;
import static io.appmeshxds.translator.fidelity.AppMeshFidelityTest.sidecar;
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

import com.google.protobuf.util.Durations;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What App Mesh named and what it set without being asked, fact by fact (numbers of {@code
 * appmesh-fidelity.md}'s table), checked on the Envoy resources sidecars receive, as {@link
 * AppMeshFidelityTest} does for the facts that changed traffic.
 */
class NamesAndDefaultsFidelityTest {
  /**
   * UG, EX, D2: App Mesh's names. Listeners {@code lds_ingress_0.0.0.0_15000} (only for a node with
   * listeners) and {@code lds_egress_0.0.0.0_15001}; clusters {@code cds_ingress_<mesh>_<node>_<protocol>_<port>}
   * and {@code cds_egress_<mesh>_<node>_<protocol>_<port>}; route configurations {@code rds_ingress_http_<port>}
   * and {@code rds_egress_http_<port>}; names are App Mesh names: {@code spec.awsName}, else
   * {@code <name>_<namespace>} for nodes and {@code <name>.<namespace>} for virtual services.
   */
  @Test
  void resourcesCarryAppMeshsNames_fact1() {
    Rendered r = Rendered.sidecars(join(mesh("shop", false),
        node("shop", "color-green", HTTP_8080), nodeService("shop", "color-green", "color-green"),
        canary("shop", "podinfo", 9898), """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: blue, namespace: shop}
        spec:
          awsName: legacy-blue
          podSelector: {matchLabels: {app: blue}}
          listeners: [{portMapping: {port: 7070, protocol: http}}]
          serviceDiscovery: {dns: {hostname: blue.shop.svc.cluster.local}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: blue, namespace: shop}
        spec:
          awsName: blue.example.com
          provider: {virtualNode: {virtualNodeRef: {name: blue}}}
        """, client("shop", "frontend", "color-green", "podinfo", "blue")));
    NodeKey green = sidecar("shop", "color-green_shop");
    NodeKey frontend = sidecar("shop", "frontend_shop");
    assertThat(r.node(sidecar("shop", "legacy-blue")).get(XdsResources.Type.LISTENER)).isNotEmpty();

    assertThat(names(r, green, XdsResources.Type.LISTENER)).containsExactly("lds_egress_0.0.0.0_15001", "lds_ingress_0.0.0.0_15000");
    assertThat(names(r, green, XdsResources.Type.CLUSTER)).contains("cds_ingress_shop_color-green_shop_http_8080");
    assertThat(names(r, green, XdsResources.Type.ROUTE)).containsExactly("rds_ingress_http_8080");
    Listener ingress = r.listener(green, "lds_ingress_0.0.0.0_15000");
    assertThat(ingress.getAddress().getSocketAddress().getPortValue()).isEqualTo(15000);
    assertThat(Rendered.hcm(Rendered.chain(ingress, "ingress_http_8080")).getRds().getRouteConfigName())
        .isEqualTo("rds_ingress_http_8080");
    assertThat(r.routeConfig(green, "rds_ingress_http_8080").getVirtualHosts(0).getRoutes(0).getRoute().getCluster())
        .isEqualTo("cds_ingress_shop_color-green_shop_http_8080");

    // A node without listeners has no ingress listener.
    assertThat(names(r, frontend, XdsResources.Type.LISTENER)).containsExactly("lds_egress_0.0.0.0_15001");
    assertThat(r.listener(frontend, "lds_egress_0.0.0.0_15001").getAddress().getSocketAddress().getPortValue()).isEqualTo(15001);
    assertThat(names(r, frontend, XdsResources.Type.CLUSTER)).containsExactlyInAnyOrder(
        "cds_egress_shop_color-green_shop_http_8080", "cds_egress_shop_podinfo-primary_shop_http_9898",
        "cds_egress_shop_podinfo-canary_shop_http_9898", "cds_egress_shop_legacy-blue_http_7070", "cds_egress_shop_amazonaws");
    assertThat(names(r, frontend, XdsResources.Type.ROUTE))
        .containsExactlyInAnyOrder("rds_egress_http_7070", "rds_egress_http_8080", "rds_egress_http_9898");
    Listener egress = r.listener(frontend, "lds_egress_0.0.0.0_15001");
    assertThat(Rendered.hcm(Rendered.chain(egress, "egress_http_9898")).getRds().getRouteConfigName()).isEqualTo("rds_egress_http_9898");
    assertThat(r.routeConfig(frontend, "rds_egress_http_8080").getVirtualHostsList()).extracting(VirtualHost::getName)
        .containsExactly("color-green.shop");
    assertThat(r.routeConfig(frontend, "rds_egress_http_9898").getVirtualHostsList()).extracting(VirtualHost::getName)
        .containsExactly("podinfo.shop");
    VirtualHost blue = r.routeConfig(frontend, "rds_egress_http_7070").getVirtualHosts(0);
    assertThat(blue.getName()).isEqualTo("blue.example.com");
    assertThat(blue.getDomainsList()).containsExactly("blue.example.com", "blue.example.com:7070");
    assertThat(blue.getRoutes(0).getRoute().getCluster()).isEqualTo("cds_egress_shop_legacy-blue_http_7070");
  }

  /**
   * UG envoy-defaults, D1, EX connection pools: every cluster's circuit breakers are App Mesh's
   * "unlimited" (2147483647 for connections, pending requests, requests and retries, one threshold
   * at the default priority), except that a node listener's {@code connectionPool} limits the
   * node's own {@code cds_ingress} cluster, not its callers' {@code cds_egress} clusters.
   */
  @Test
  void circuitBreakersUnlimitedUnlessAListenersPoolLimitsTheLocalCluster_fact2() {
    Rendered r = Rendered.sidecars(join(mesh("shop", true),
        node("shop", "color-green", HTTP_8080), nodeService("shop", "color-green", "color-green"),
        node("shop", "red", "[{portMapping: {port: 8080, protocol: http}, connectionPool: {http: {maxConnections: 50, "
            + "maxPendingRequests: 10}}}, {portMapping: {port: 9090, protocol: grpc}, connectionPool: {grpc: {maxRequests: 20}}}]"),
        nodeService("shop", "red", "red"),
        client("shop", "frontend", "color-green", "red")));
    NodeKey frontend = sidecar("shop", "frontend_shop");
    NodeKey red = sidecar("shop", "red_shop");
    List<Cluster> unlimited = new ArrayList<>(r.node(frontend).<Cluster>protos(XdsResources.Type.CLUSTER));
    unlimited.addAll(r.node(sidecar("shop", "color-green_shop")).protos(XdsResources.Type.CLUSTER));
    assertThat(unlimited).extracting(Cluster::getName).contains("cds_egress_shop_red_shop_http_8080",
        "cds_egress_shop_red_shop_grpc_9090", "cds_ingress_shop_color-green_shop_http_8080", "cds_egress_shop_mesh-allow-all");
    for (Cluster c : unlimited) {
      assertThat(thresholds(c)).as(c.getName()).containsExactly(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED);
    }
    assertThat(thresholds(r.cluster(red, "cds_ingress_shop_red_shop_http_8080"))).containsExactly(50, 10, UNLIMITED, UNLIMITED);
    assertThat(thresholds(r.cluster(red, "cds_ingress_shop_red_shop_grpc_9090")))
        .containsExactly(UNLIMITED, UNLIMITED, 20, UNLIMITED);
  }

  static final int UNLIMITED = 2147483647;

  /** One threshold, at the default priority: max connections, pending requests, requests, retries. */
  static List<Integer> thresholds(Cluster c) {
    assertThat(c.getCircuitBreakers().getThresholdsList()).as("thresholds of %s", c.getName()).hasSize(1);
    CircuitBreakers.Thresholds t = c.getCircuitBreakers().getThresholds(0);
    assertThat(t.getPriority()).isEqualTo(RoutingPriority.DEFAULT);
    return List.of(t.getMaxConnections().getValue(), t.getMaxPendingRequests().getValue(), t.getMaxRequests().getValue(),
        t.getMaxRetries().getValue());
  }

  /**
   * UG routes/virtual nodes, D1: a router route and a node's ingress route without a timeout get
   * App Mesh's request timeout 15 s and idle timeout 300 s; a route that sets them gets its own
   * ({@code 0} disables).
   */
  @Test
  void requestAndIdleTimeoutsDefaultToFifteenAndThreeHundredSeconds_fact3() {
    Rendered r = Rendered.sidecars(join(mesh("shop", false),
        node("shop", "color-green", HTTP_8080), nodeService("shop", "color-green", "color-green"),
        node("shop", "slow", HTTP_8080), """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualRouter
        metadata: {name: slow, namespace: shop}
        spec:
          listeners: [{portMapping: {port: 8080, protocol: http}}]
          routes:
            - name: reports
              priority: 1
              httpRoute:
                match: {prefix: /reports}
                action: {weightedTargets: [{virtualNodeRef: {name: slow}, weight: 1}]}
                timeout: {perRequest: {unit: s, value: 0}, idle: {unit: ms, value: 1500}}
            - name: default
              priority: 2
              httpRoute:
                match: {prefix: /}
                action: {weightedTargets: [{virtualNodeRef: {name: slow}, weight: 1}]}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: slow, namespace: shop}
        spec: {provider: {virtualRouter: {virtualRouterRef: {name: slow}}}}
        """, client("shop", "frontend", "slow")));
    VirtualHost slow = virtualHost(r.routeConfig(sidecar("shop", "frontend_shop"), "rds_egress_http_8080"), "slow.shop");
    RouteAction byDefault = route(slow, "default").getRoute();
    assertThat(byDefault.hasTimeout()).isTrue();
    assertThat(Durations.toMillis(byDefault.getTimeout())).isEqualTo(15_000);
    assertThat(Durations.toMillis(byDefault.getIdleTimeout())).isEqualTo(300_000);
    RouteAction set = route(slow, "reports").getRoute();
    assertThat(set.hasTimeout()).isTrue();
    assertThat(Durations.toMillis(set.getTimeout())).isZero();
    assertThat(Durations.toMillis(set.getIdleTimeout())).isEqualTo(1_500);

    RouteAction local = r.routeConfig(sidecar("shop", "color-green_shop"), "rds_ingress_http_8080").getVirtualHosts(0)
        .getRoutes(0).getRoute();
    assertThat(Durations.toMillis(local.getTimeout())).isEqualTo(15_000);
    assertThat(Durations.toMillis(local.getIdleTimeout())).isEqualTo(300_000);
  }

  /**
   * CDK/CFN HttpRetryPolicy: {@code server-error} and {@code gateway-error} each add Envoy's
   * {@code reset} to their status codes; {@code client-error} (409), {@code stream-error} (refused
   * stream) and {@code connection-error} (connect failure) do not.
   */
  @Test
  void serverErrorAndGatewayErrorEachAddReset_fact5() {
    String route = """
            - name: %s
              priority: %d
              httpRoute:
                match: {prefix: /%s}
                action: {weightedTargets: [{virtualNodeRef: {name: color-green}, weight: 1}]}
                retryPolicy: {maxRetries: 3, perRetryTimeout: {unit: ms, value: 2000}, %s}
        """;
    Rendered r = Rendered.sidecars(join(mesh("shop", false),
        node("shop", "color-green", HTTP_8080), """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualRouter
        metadata: {name: color, namespace: shop}
        spec:
          listeners: [{portMapping: {port: 8080, protocol: http}}]
          routes:
        """ + route.formatted("server", 1, "server", "httpRetryEvents: [server-error]")
            + route.formatted("gateway", 2, "gateway", "httpRetryEvents: [gateway-error]")
            + route.formatted("others", 3, "others", "httpRetryEvents: [client-error, stream-error], tcpRetryEvents: [connection-error]")
            + """
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: color, namespace: shop}
        spec: {provider: {virtualRouter: {virtualRouterRef: {name: color}}}}
        """, client("shop", "frontend", "color")));
    VirtualHost color = virtualHost(r.routeConfig(sidecar("shop", "frontend_shop"), "rds_egress_http_8080"), "color.shop");
    RetryPolicy server = effectiveRetry(color, route(color, "server"));
    assertThat(server.getRetryOn()).isEqualTo("reset,retriable-status-codes");
    assertThat(server.getRetriableStatusCodesList()).containsExactly(500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511);
    RetryPolicy gateway = effectiveRetry(color, route(color, "gateway"));
    assertThat(gateway.getRetryOn()).isEqualTo("reset,retriable-status-codes");
    assertThat(gateway.getRetriableStatusCodesList()).containsExactly(502, 503, 504);
    RetryPolicy others = effectiveRetry(color, route(color, "others"));
    assertThat(others.getRetryOn()).isEqualTo("connect-failure,refused-stream,retriable-status-codes");
    assertThat(others.getRetriableStatusCodesList()).containsExactly(409);
    for (RetryPolicy p : List.of(server, gateway, others)) {
      assertThat(p.getNumRetries().getValue()).isEqualTo(3);
      assertThat(Durations.toMillis(p.getPerTryTimeout())).isEqualTo(2_000);
    }
  }

  static List<String> names(Rendered r, NodeKey key, XdsResources.Type type) {
    return r.node(key).get(type).stream().map(XdsResources.Resource::name).toList();
  }
}
