package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Flagger GitOps repository (no object Flagger creates is in it) renders the routes of Flagger's
 * first phase, Initialized: the apex service podinfo at canary 0 / primary 100, podinfo-canary at
 * canary 100, for the load tester's sidecar and through the gateway, with the Canary's timeout and
 * retries.
 */
class FlaggerGitOpsRenderTest {
  static final String LAYOUT = Path.of("src", "test", "resources", "conformance", "validate", "flagger-gitops", "input")
      .toString();
  static final String CANARY = "cds_egress_shop_podinfo-canary_apps_http_9898";
  static final String PRIMARY = "cds_egress_shop_podinfo-primary_apps_http_9898";

  static JsonNode render(String node) {
    ConfigOptionTest.Run r = ConfigOptionTest.run("render", "--manifests", LAYOUT, "--node", node);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).as("no warning, no note").isEmpty();
    return JsonMapper.shared().readTree(r.out());
  }

  static JsonNode routeConfig(JsonNode rendered, String name) {
    for (JsonNode rc : rendered.path("routes").values()) {
      if (rc.path("name").stringValue().equals(name)) {
        return rc;
      }
    }
    throw new AssertionError("no route configuration " + name + " in " + rendered.path("routes"));
  }

  static JsonNode virtualHost(JsonNode routeConfig, String name) {
    for (JsonNode vh : routeConfig.path("virtualHosts").values()) {
      if (vh.path("name").stringValue().equals(name)) {
        return vh;
      }
    }
    throw new AssertionError("no virtual host " + name + " in " + routeConfig.path("name"));
  }

  /** The only route of a virtual host: its weights by cluster, in order. */
  static Map<String, Integer> weights(JsonNode vh) {
    assertThat(vh.path("routes").size()).as(vh.path("name") + " routes").isEqualTo(1);
    JsonNode route = vh.path("routes").get(0);
    assertThat(route.path("match").path("prefix").stringValue()).isEqualTo("/");
    Map<String, Integer> out = new LinkedHashMap<>();
    for (JsonNode c : route.path("route").path("weightedClusters").path("clusters").values()) {
      out.put(c.path("name").stringValue(), c.path("weight").intValue());
    }
    return out;
  }

  @Test
  void theLoadTesterReachesTheApexAtItsFirstPhaseAndTheCanaryServiceAlwaysAtTheCanary() {
    JsonNode rc = routeConfig(render("mesh/shop/virtualNode/loadtester_apps"), "rds_egress_http_9898");
    JsonNode apex = virtualHost(rc, "podinfo.apps");
    assertThat(weights(apex)).containsExactly(Map.entry(CANARY, 0), Map.entry(PRIMARY, 100));
    assertThat(weights(virtualHost(rc, "podinfo-canary.apps"))).containsExactly(Map.entry(CANARY, 100), Map.entry(PRIMARY, 0));
    // The Canary's service settings reached Envoy: timeout 10s, 2 retries of 3s on gateway-error,stream-error.
    JsonNode action = apex.path("routes").get(0).path("route");
    assertThat(action.path("timeout").stringValue()).isEqualTo("10s");
    assertThat(action.path("retryPolicy").path("numRetries").intValue()).isEqualTo(2);
    assertThat(action.path("retryPolicy").path("perTryTimeout").stringValue()).isEqualTo("3s");
  }

  @Test
  void theGatewayRouteToPodinfoTakesTheApexRoutersFirstPhase() {
    JsonNode rc = routeConfig(render("mesh/shop/virtualGateway/ingress-gw_ingress"), "rds_ingress_http_8080");
    assertThat(rc.path("virtualHosts").size()).isEqualTo(1);
    assertThat(weights(rc.path("virtualHosts").get(0))).containsExactly(Map.entry(CANARY, 0), Map.entry(PRIMARY, 100));
  }
}
