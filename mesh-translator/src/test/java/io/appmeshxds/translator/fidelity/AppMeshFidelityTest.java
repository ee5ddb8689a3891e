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

import io.appmeshxds.translator.plan.NodeKey;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
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
        canary("shop", "podinfo", 9898, ""),
        client("shop", "frontend", "color-green", "podinfo")));
    NodeKey frontend = sidecar("shop", "frontend_shop");

    RouteConfiguration nodeProvided = r.routeConfig(frontend, "rds_egress_http_8080");
    VirtualHost green = virtualHost(nodeProvided, "color-green.shop");
    assertDefaultRetry(effectiveRetry(green, route(green, "color-green.shop")));

    RouteConfiguration routed = r.routeConfig(frontend, "rds_egress_http_9898");
    VirtualHost podinfo = virtualHost(routed, "podinfo.shop");
    assertDefaultRetry(effectiveRetry(podinfo, route(podinfo, "podinfo")));
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
