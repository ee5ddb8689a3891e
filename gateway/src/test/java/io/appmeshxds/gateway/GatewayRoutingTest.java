package io.appmeshxds.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.gateway.EnvoyRouteEvaluator.Request;
import io.appmeshxds.gateway.EnvoyRouteEvaluator.Result;
import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.model.LocalRuleCache;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the gateway sends requests in the Flagger phases, by Envoy's route-matching rules over the
 * rendered configuration, compared with where the load tester's sidecar sends the same request to
 * {@code podinfo.demo:9898} (the router's own routes): the gateway must apply the router's header
 * routes, priorities and weights (flagger-appmesh.md §4.4).
 */
class GatewayRoutingTest {
  static final String CANARY = "cds_egress_appmesh_podinfo-canary_demo_http_9898";
  static final String PRIMARY = "cds_egress_appmesh_podinfo-primary_demo_http_9898";
  static final String CURL = "curl/8.5.0";
  static final String CHROME =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
  static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

  /** The gateway's and the load tester's route configurations in one Flagger phase. */
  record Phase(RouteConfiguration gateway, RouteConfiguration loadTester) {}

  static Phase phase(String phase) {
    String text = TestManifests.resource("flagger/environment.yaml") + "---\n" + TestManifests.resource("flagger/" + phase + ".yaml");
    GoldenRunner runner = new GoldenRunner(Path.of("."), () -> new Planner(List.of(GatewayModule.planner()), List.of()),
        GatewayModule.extensions(), () -> new MeshModelBuilder(new LocalRuleCache(), List.of(), GatewayModule.checks()));
    Map<NodeKey, XdsResources> r = runner.render(phase, text).resources();
    return new Phase(
        (RouteConfiguration) XdsTranslator.find(r.get(NodeKey.gateway("appmesh", "appmesh-gateway_appmesh-gateway")),
            XdsResources.Type.ROUTE, "rds_ingress_http_8088"),
        (RouteConfiguration) XdsTranslator.find(r.get(NodeKey.sidecar("appmesh", "flagger-loadtester_demo")),
            XdsResources.Type.ROUTE, "rds_egress_http_9898"));
  }

  static Result viaGateway(Phase p, Request r) {
    Optional<Result> out = EnvoyRouteEvaluator.route(p.gateway(), r);
    assertThat(out).as("gateway route for %s", r).isPresent();
    return out.get();
  }

  static Request browser(String userAgent) {
    return Request.get("a1b2c3-nlb.elb.us-west-2.amazonaws.com", "/").with("user-agent", userAgent);
  }

  @Test
  void abTestingSendsCurlAndFirefoxToTheCanaryAndChromeToThePrimary() {
    Phase p = phase("ab-testing");
    Result curl = viaGateway(p, browser(CURL));
    assertThat(curl.route()).isEqualTo("podinfo_demo/podinfo-a");
    assertThat(curl.share(CANARY)).isEqualTo(1.0);
    assertThat(curl.authority()).isEqualTo("podinfo.demo");
    assertThat(viaGateway(p, browser(FIREFOX)).share(CANARY)).isEqualTo(1.0);
    Result chrome = viaGateway(p, browser(CHROME));
    assertThat(chrome.route()).isEqualTo("podinfo_demo/podinfo-b");
    assertThat(chrome.weights()).containsExactly(Map.entry(PRIMARY, 100L));
    Result none = viaGateway(p, Request.get("gw", "/api/info"));
    assertThat(none.share(PRIMARY)).isEqualTo(1.0);
    assertThat(none.path()).isEqualTo("/api/info");
  }

  @Test
  void canaryStepSplitsAtTheRoutersWeights() {
    Phase p = phase("canary-step-weight-10");
    for (String ua : List.of(CURL, CHROME, FIREFOX)) {
      Result r = viaGateway(p, browser(ua));
      assertThat(r.weights()).containsExactly(Map.entry(CANARY, 10L), Map.entry(PRIMARY, 90L));
    }
  }

  /** One hop at the gateway selects what the router selects for the same request at a sidecar. */
  @ParameterizedTest
  @ValueSource(strings = {"init", "canary-step-weight-10", "ab-testing-init", "ab-testing", "blue-green-switched"})
  void gatewayAgreesWithTheRouterAsTheSidecarSeesIt(String phase) {
    Phase p = phase(phase);
    for (String ua : List.of(CURL, CHROME, FIREFOX, "")) {
      for (String path : List.of("/", "/api/info", "/healthz?x=1")) {
        Request atGateway = Request.get("gw.example.com", path);
        Request atSidecar = Request.get("podinfo.demo:9898", path);
        if (!ua.isEmpty()) {
          atGateway = atGateway.with("user-agent", ua);
          atSidecar = atSidecar.with("user-agent", ua);
        }
        Result g = viaGateway(p, atGateway);
        Result s = EnvoyRouteEvaluator.route(p.loadTester(), atSidecar).orElseThrow();
        assertThat(g.clusters()).as("%s %s ua=%s", phase, path, ua).isEqualTo(s.clusters());
        assertThat(g.path()).isEqualTo(s.path());
      }
    }
  }
}
