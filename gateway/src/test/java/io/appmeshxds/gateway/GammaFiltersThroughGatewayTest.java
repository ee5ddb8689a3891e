package io.appmeshxds.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.LocalRuleCache;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.xds.XdsChecks;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A gateway route whose target VirtualService has a GAMMA HTTPRoute with mirrors and redirects:
 * the composed routes carry the mirrors (and the gateway gets the mirror clusters), carry a
 * redirect that names its host, and leave out, with a warning, a redirect that keeps the host the
 * gateway rewrites (one Envoy route would redirect to the host as it came, two hops to the
 * rewritten one).
 */
class GammaFiltersThroughGatewayTest {
  static final NodeKey GW = NodeKey.gateway("web", "gw_web");
  static final String SHADOW = "cds_egress_web_shadow_web_http_8080";

  static String node(String name) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: %1$s
          namespace: web
        spec:
          listeners:
            - portMapping:
                port: 8080
                protocol: http
          serviceDiscovery:
            dns:
              hostname: %1$s.web.svc.cluster.local
        """.formatted(name);
  }

  static final String TEXT = String.join("---\n", """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: web
        labels:
          mesh: web
      """, """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: Mesh
      metadata:
        name: web
      spec:
        namespaceSelector:
          matchLabels:
            mesh: web
      """, """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualGateway
      metadata:
        name: gw
        namespace: web
      spec:
        namespaceSelector:
          matchLabels:
            mesh: web
        listeners:
          - portMapping:
              port: 8080
              protocol: http
      """, node("app"), node("shadow"), """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualService
      metadata:
        name: app
        namespace: web
      spec:
        provider:
          virtualNode:
            virtualNodeRef:
              name: app
      """, """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: GatewayRoute
      metadata:
        name: app
        namespace: web
      spec:
        httpRoute:
          match:
            prefix: /
          action:
            target:
              virtualService:
                virtualServiceRef:
                  name: app
      """, """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: app
        namespace: web
      spec:
        parentRefs:
          - group: ""
            kind: Service
            name: app
        rules:
          - matches:
              - path:
                  type: PathPrefix
                  value: /mirrored
            filters:
              - type: RequestMirror
                requestMirror:
                  backendRef:
                    name: shadow
                    port: 8080
                  percent: 10
            backendRefs:
              - name: app
                port: 8080
          - matches:
              - path:
                  type: Exact
                  value: /elsewhere
            filters:
              - type: RequestRedirect
                requestRedirect:
                  hostname: www.example.com
                  statusCode: 301
          - matches:
              - path:
                  type: Exact
                  value: /same-host
            filters:
              - type: RequestRedirect
                requestRedirect:
                  path:
                    type: ReplaceFullPath
                    replaceFullPath: /other
          - backendRefs:
              - name: app
                port: 8080
      """);

  static MeshModelBuilder builder() {
    return new MeshModelBuilder(new LocalRuleCache(), List.of(), GatewayModule.checks());
  }

  static Route find(RouteConfiguration rc, String suffix) {
    return rc.getVirtualHostsList().stream().flatMap(vh -> vh.getRoutesList().stream())
        .filter(r -> r.getName().endsWith(suffix)).findFirst().orElse(null);
  }

  @Test
  void mirrorsAndHostNamingRedirectsComposeAndTheMirrorClusterIsTheGateways() {
    GoldenRunner runner = new GoldenRunner(Path.of("."), () -> new Planner(List.of(GatewayModule.planner()), List.of()),
        GatewayModule.extensions(), GammaFiltersThroughGatewayTest::builder);
    Map<NodeKey, XdsResources> all = runner.render("gamma-filters-gateway", TEXT).resources();
    XdsResources gw = all.get(GW);
    assertThat(gw).isNotNull();
    assertThat(XdsChecks.check(gw)).as("consistency and Envoy's proto rules").isEmpty();
    RouteConfiguration rc = (RouteConfiguration) XdsTranslator.find(gw, XdsResources.Type.ROUTE, "rds_ingress_http_8080");

    Route mirrored = find(rc, "HTTPRoute/web/app/rules-0/matches-0");
    assertThat(mirrored).isNotNull();
    RouteAction a = mirrored.getRoute();
    assertThat(a.getRequestMirrorPoliciesList()).singleElement().satisfies(m -> {
      assertThat(m.getCluster()).isEqualTo(SHADOW);
      assertThat(m.getRuntimeFraction().getDefaultValue().getNumerator()).isEqualTo(10);
    });
    assertThat(a.getHostRewriteLiteral()).as("the gateway's own host rewrite stays").isEqualTo("app.web");
    assertThat(XdsTranslator.find(gw, XdsResources.Type.CLUSTER, SHADOW)).as("the mirror's cluster").isNotNull();

    Route elsewhere = find(rc, "HTTPRoute/web/app/rules-1/matches-0");
    assertThat(elsewhere).isNotNull();
    assertThat(elsewhere.getRedirect().getHostRedirect()).isEqualTo("www.example.com");
    assertThat(elsewhere.hasRoute()).isFalse();
    // Keeps the host, which the gateway rewrites: left out (its requests go on to the next route).
    assertThat(find(rc, "HTTPRoute/web/app/rules-2/matches-0")).isNull();

    // The gateway's plan says which target route it left out, and why. (The GatewayRoute's status
    // does not: its composability check runs before GAMMA routes are attached to the model.)
    BuildResult b = builder().build(TestManifests.resources(TEXT));
    ProxyPlan plan = new Planner(List.of(GatewayModule.planner()), List.of()).planAll(new PlanContext(b.model()), List.of())
        .get(GW);
    assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("HTTPRoute/web/app/rules-2/matches-0",
        "its redirect keeps the host, which the gateway rewrites to app.web"));
  }
}
