package io.appmeshxds.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.appmeshxds.gateway.EnvoyRouteEvaluator.Request;
import io.appmeshxds.gateway.EnvoyRouteEvaluator.Result;
import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.LocalRuleCache;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ListenerStatus;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * North-south Gateway API: a Gateway of our GatewayClass and its HTTPRoutes, lowered into a
 * VirtualGateway and GatewayRoutes. Where requests go (Envoy's route matching over the rendered
 * configuration of the golden case {@code gateway-api-north-south}), which Gateways are ours, and
 * incremental builds that equal builds from scratch while the Gateway API objects change.
 */
class GatewayApiNorthSouthTest {
  static final String APP = "cds_egress_web_app-v1_web_http_8080";
  static final String LEGACY = "cds_egress_web_legacy-v1_web_http_9090";
  static final NodeKey NODE = NodeKey.gateway("web", "ingress_web");

  static String golden() throws IOException {
    return Files.readString(GatewayGoldenTest.DIR.resolve("gateway-api-north-south.in.yaml"));
  }

  static Map<NodeKey, XdsResources> render(String text) {
    GoldenRunner runner = new GoldenRunner(Path.of("."), () -> new Planner(List.of(GatewayModule.planner()), List.of()),
        GatewayModule.extensions(), () -> new MeshModelBuilder(new LocalRuleCache(), List.of(), GatewayModule.checks()));
    return runner.render("north-south", text).resources();
  }

  static Optional<Result> route(RouteConfiguration rc, Request r) {
    return EnvoyRouteEvaluator.route(rc, r);
  }

  @Test
  void requestsGoWhereTheHttpRoutesSay() throws IOException {
    Map<NodeKey, XdsResources> r = render(golden());
    assertThat(r).containsKey(NODE);
    RouteConfiguration rc = (RouteConfiguration) XdsTranslator.find(r.get(NODE), XdsResources.Type.ROUTE, "rds_ingress_http_8080");
    assertThat(XdsTranslator.find(r.get(NODE), XdsResources.Type.LISTENER, "lds_ingress_0.0.0.0_8080")).isInstanceOf(Listener.class);
    // The HTTPS listener is left out (UnsupportedProtocol).
    assertThat(XdsTranslator.find(r.get(NODE), XdsResources.Type.LISTENER, "lds_ingress_0.0.0.0_8443")).isNull();

    // PathPrefix /api matches whole segments, host kept (no App Mesh default host or prefix rewrite).
    Result api = route(rc, Request.get("shop.example.com", "/api/items")).orElseThrow();
    assertThat(api.weights()).containsExactly(Map.entry(APP, 100L));
    assertThat(api.path()).isEqualTo("/api/items");
    assertThat(api.authority()).isEqualTo("shop.example.com");
    assertThat(route(rc, Request.get("shop.example.com", "/api")).orElseThrow().route()).startsWith("shop-web-0-0-");
    // /apix is not under /api: the fallback route (listener hostname *.example.com) takes it.
    assertThat(route(rc, Request.get("shop.example.com", "/apix")).orElseThrow().route()).startsWith("fallback-");
    // Exact path and method; the backend Service port 80 is the VirtualService's port 9090 (targetPort).
    assertThat(route(rc, Request.get("shop.example.com", "/old")).orElseThrow().share(LEGACY)).isEqualTo(1.0);
    assertThat(route(rc, Request.get("shop.example.com", "/old").method("POST")).orElseThrow().route()).startsWith("fallback-");
    // A header match of the same rule; the route's hostname limits it to shop.example.com.
    assertThat(route(rc, Request.get("shop.example.com", "/x").with("x-legacy", "yes")).orElseThrow().share(LEGACY))
        .isEqualTo(1.0);
    assertThat(route(rc, Request.get("other.example.com", "/old")).orElseThrow().weights()).containsExactly(Map.entry(APP, 100L));
    // The listener's hostname: nothing for other domains, nor for the bare domain.
    assertThat(route(rc, Request.get("example.com", "/"))).isEmpty();
    assertThat(route(rc, Request.get("shop.example.org", "/api"))).isEmpty();
    // The split route (weights across two Services) is not served.
    assertThat(route(rc, Request.get("a.example.com", "/split")).orElseThrow().route()).startsWith("fallback-");
  }

  static final String REWRITES = """
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: rw
        namespace: web
      spec:
        parentRefs:
          - name: ingress
            sectionName: http
        hostnames: [rw.example.com]
        rules:
          - matches:
              - path: {type: PathPrefix, value: /api/}
            filters:
              - type: URLRewrite
                urlRewrite:
                  hostname: app.web.svc.cluster.local
                  path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}
            backendRefs:
              - {name: app, port: 8080}
          - matches:
              - path: {type: Exact, value: /old-page}
            filters:
              - type: URLRewrite
                urlRewrite:
                  path: {type: ReplaceFullPath, replaceFullPath: /new-page}
            backendRefs:
              - {name: app, port: 8080}
          - matches:
              - path: {type: PathPrefix, value: /strip}
            filters:
              - type: URLRewrite
                urlRewrite:
                  path: {type: ReplacePrefixMatch, replacePrefixMatch: /}
            backendRefs:
              - {name: legacy, port: 80}
          - matches:
              - path: {type: Exact, value: /q}
                queryParams: [{type: RegularExpression, name: v, value: ".*"}]
            backendRefs:
              - {name: legacy, port: 80}
          - filters:
              - type: URLRewrite
                urlRewrite:
                  path: {type: ReplacePrefixMatch, replacePrefixMatch: /root/}
            backendRefs:
              - {name: legacy, port: 80}
      """;

  /**
   * URLRewrite through a Gateway: the GatewayRoutes' App Mesh rewrites give the paths and hosts of
   * Gateway API's ReplacePrefixMatch table (segment-wise prefix, query kept), ReplaceFullPath, and a
   * hostname that is the target VirtualService's name; no hostname keeps the Host.
   */
  @Test
  void urlRewritesBecomeGatewayRouteRewritesWithGatewayApisSemantics() throws IOException {
    String text = golden() + REWRITES;
    BuildResult b = builder().build(TestManifests.resources(text));
    ObjectStatus rw = b.status().get(new ObjectRef("HTTPRoute", "web", "rw"));
    assertThat(rw.condition().status()).as(rw.toString()).isEqualTo("True");
    RouteConfiguration rc = (RouteConfiguration) XdsTranslator.find(render(text).get(NODE), XdsResources.Type.ROUTE,
        "rds_ingress_http_8080");
    String host = "rw.example.com";
    Result api = route(rc, Request.get(host, "/api/items?q=1")).orElseThrow();
    assertThat(api.weights()).containsExactly(Map.entry(APP, 100L));
    assertThat(api.path()).isEqualTo("/v2/items?q=1");
    assertThat(api.authority()).isEqualTo("app.web.svc.cluster.local");
    assertThat(route(rc, Request.get(host, "/api")).orElseThrow().path()).isEqualTo("/v2");
    assertThat(route(rc, Request.get(host, "/api/")).orElseThrow().path()).isEqualTo("/v2/");
    assertThat(route(rc, Request.get(host, "/api?x=y")).orElseThrow().path()).isEqualTo("/v2?x=y");
    // /apix is not under /api: the last rule (PathPrefix /) takes it, and the host is kept.
    Result apix = route(rc, Request.get(host, "/apix")).orElseThrow();
    assertThat(apix.path()).isEqualTo("/root/apix");
    assertThat(apix.authority()).isEqualTo(host);
    assertThat(apix.share(LEGACY)).isEqualTo(1.0);
    Result full = route(rc, Request.get(host, "/old-page?a=1")).orElseThrow();
    assertThat(full.path()).isEqualTo("/new-page?a=1");
    assertThat(full.authority()).isEqualTo(host);
    assertThat(route(rc, Request.get(host, "/old-page/x")).orElseThrow().path()).isEqualTo("/root/old-page/x");
    assertThat(route(rc, Request.get(host, "/strip/a/b")).orElseThrow().path()).isEqualTo("/a/b");
    assertThat(route(rc, Request.get(host, "/strip")).orElseThrow().path()).isEqualTo("/");
    assertThat(route(rc, Request.get(host, "/strip/")).orElseThrow().path()).isEqualTo("/");
    assertThat(route(rc, Request.get(host, "/")).orElseThrow().path()).isEqualTo("/root/");
    // A RegularExpression ".*" query match is a presence match (what convert writes for App Mesh's "present").
    assertThat(route(rc, Request.get(host, "/q?v=1")).orElseThrow().path()).isEqualTo("/q?v=1");
    assertThat(route(rc, Request.get(host, "/q?v=")).orElseThrow().path()).isEqualTo("/q?v=");
    assertThat(route(rc, Request.get(host, "/q")).orElseThrow().path()).isEqualTo("/root/q");
    // Other hosts are not this route's: the shop and fallback routes keep path and host.
    Result other = route(rc, Request.get("shop.example.com", "/api/items")).orElseThrow();
    assertThat(other.path()).isEqualTo("/api/items");
    assertThat(other.authority()).isEqualTo("shop.example.com");
  }

  static final String GREETER_V1 = "cds_egress_web_greeter-v1_web_grpc_50051";
  static final String GREETER_V2 = "cds_egress_web_greeter-v2_web_grpc_50051";

  /**
   * Two gRPC VirtualServices, a Gateway listener {@code grpc} (port 9000) that takes GRPCRoutes
   * only, and GRPCRoutes: {@code greeter} on that listener (a method with a header, a service, a
   * method of any service), {@code mixed} on the HTTP listener next to the HTTPRoutes.
   */
  static final String GRPC = """
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata:
        name: greeter-v1
        namespace: web
      spec:
        listeners:
          - portMapping: {port: 50051, protocol: grpc}
        serviceDiscovery:
          dns: {hostname: 10.1.0.3}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata:
        name: greeter-v2
        namespace: web
      spec:
        listeners:
          - portMapping: {port: 50051, protocol: grpc}
        serviceDiscovery:
          dns: {hostname: 10.1.0.4}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualService
      metadata:
        name: greeter
        namespace: web
      spec:
        provider:
          virtualNode:
            virtualNodeRef: {name: greeter-v1}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualService
      metadata:
        name: greeter-canary
        namespace: web
      spec:
        provider:
          virtualNode:
            virtualNodeRef: {name: greeter-v2}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: GRPCRoute
      metadata:
        name: greeter
        namespace: web
      spec:
        parentRefs:
          - name: ingress
            sectionName: grpc
        hostnames: [grpc.example.com]
        rules:
          - matches:
              - method: {service: helloworld.Greeter}
            backendRefs:
              - {name: greeter, port: 50051}
            # end of rule 0
          - matches:
              - method: {service: helloworld.Greeter, method: SayHello}
                headers: [{name: x-canary, value: "yes"}]
              - method: {method: Ping}
              - method: {type: RegularExpression, service: 'admin\\..*', method: 'Get.*'}
            backendRefs:
              - {name: greeter-canary, port: 50051}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: GRPCRoute
      metadata:
        name: mixed
        namespace: web
      spec:
        parentRefs:
          - name: ingress
            sectionName: http
        hostnames: [shop.example.com]
        rules:
          - matches:
              - method: {service: shop.Cart}
            backendRefs:
              - {name: greeter, port: 50051}
      """;

  static String withGrpcListener(String text) {
    return text.replace("""
            - name: https
              port: 8443
              protocol: HTTPS
        """, """
            - name: https
              port: 8443
              protocol: HTTPS
            - name: grpc
              port: 9000
              protocol: HTTP
              allowedRoutes:
                kinds: [{kind: GRPCRoute}]
        """);
  }

  static Request grpc(String host, String path) {
    return Request.get(host, path).method("POST").with("content-type", "application/grpc");
  }

  /**
   * GRPCRoutes through a Gateway: a service match is a gRPC gateway route, a method match (which App
   * Mesh's gRPC gateway route cannot say) an HTTP/2 gateway route on the same {@code :path}; Gateway
   * API's GRPCRoute precedence (method before service, then more headers), host and path kept. A
   * listener with only GRPCRoutes is a {@code grpc} VirtualGateway listener, one shared with
   * HTTPRoutes {@code http2}.
   */
  @Test
  void grpcRoutesOnAGatewayRouteByServiceMethodAndMetadata() throws IOException {
    String text = withGrpcListener(golden()) + GRPC;
    assertThat(text).contains("port: 9000");
    BuildResult b = builder().build(TestManifests.resources(text));
    ObjectStatus greeter = b.status().get(new ObjectRef("GRPCRoute", "web", "greeter"));
    assertThat(greeter.condition().status()).as(greeter.toString()).isEqualTo("True");
    assertThat(greeter.condition().message()).contains("Gateway web/ingress listener grpc (port 9000, 4 gateway route(s))");
    assertThat(greeter.gatewayParents()).containsExactly(0);
    assertThat(greeter.problems()).noneMatch(p -> p.field().startsWith("spec.parentRefs"));
    assertThat(greeter.problems()).as("no route type warning for the lowered types").noneMatch(p -> p.message().contains("route type"));
    assertThat(b.status().get(new ObjectRef("GRPCRoute", "web", "mixed")).condition().status()).isEqualTo("True");

    Map<NodeKey, XdsResources> r = render(text);
    Listener grpcListener = (Listener) XdsTranslator.find(r.get(NODE), XdsResources.Type.LISTENER, "lds_ingress_0.0.0.0_9000");
    assertThat(grpcListener.getFilterChainsList()).extracting(c -> c.getName()).containsExactly("ingress_grpc_9000");
    Listener mixed = (Listener) XdsTranslator.find(r.get(NODE), XdsResources.Type.LISTENER, "lds_ingress_0.0.0.0_8080");
    assertThat(mixed.getFilterChainsList()).extracting(c -> c.getName()).containsExactly("ingress_http2_8080");

    RouteConfiguration rc = (RouteConfiguration) XdsTranslator.find(r.get(NODE), XdsResources.Type.ROUTE, "rds_ingress_http_9000");
    String host = "grpc.example.com";
    Result hello = route(rc, grpc(host, "/helloworld.Greeter/SayHello")).orElseThrow();
    assertThat(hello.share(GREETER_V1)).isEqualTo(1.0);
    assertThat(hello.path()).isEqualTo("/helloworld.Greeter/SayHello");
    assertThat(hello.authority()).as("GRPCRoute has no URLRewrite: the authority is kept").isEqualTo(host);
    // The method match with its header comes first (Gateway API: Exact method before a service match).
    Result canary = route(rc, grpc(host, "/helloworld.Greeter/SayHello").with("x-canary", "yes")).orElseThrow();
    assertThat(canary.share(GREETER_V2)).isEqualTo(1.0);
    assertThat(canary.path()).isEqualTo("/helloworld.Greeter/SayHello");
    assertThat(route(rc, grpc(host, "/helloworld.Greeter/SayBye").with("x-canary", "yes")).orElseThrow().share(GREETER_V1))
        .isEqualTo(1.0);
    // A method without a service matches it on any service; the regular expressions match whole names.
    assertThat(route(rc, grpc(host, "/other.Health/Ping")).orElseThrow().share(GREETER_V2)).isEqualTo(1.0);
    assertThat(route(rc, grpc(host, "/other.Health/Pingx"))).isEmpty();
    assertThat(route(rc, grpc(host, "/admin.Users/GetUser")).orElseThrow().share(GREETER_V2)).isEqualTo(1.0);
    assertThat(route(rc, grpc(host, "/admin.Users/DeleteUser"))).isEmpty();
    assertThat(route(rc, grpc(host, "/helloworld.GreeterX/SayHello"))).isEmpty();
    // The route's hostname.
    assertThat(route(rc, grpc("other.example.com", "/helloworld.Greeter/SayHello"))).isEmpty();

    // On the shared HTTP listener: the GRPCRoute's service before the HTTPRoutes; HTTP requests as before.
    RouteConfiguration http = (RouteConfiguration) XdsTranslator.find(r.get(NODE), XdsResources.Type.ROUTE, "rds_ingress_http_8080");
    assertThat(route(http, grpc("shop.example.com", "/shop.Cart/Add")).orElseThrow().share(GREETER_V1)).isEqualTo(1.0);
    assertThat(route(http, Request.get("shop.example.com", "/api/items")).orElseThrow().weights())
        .containsExactly(Map.entry(APP, 100L));
    assertThat(route(http, grpc("other.example.com", "/shop.Cart/Add")).orElseThrow().route()).startsWith("fallback-");

    // Listener status: supported kinds, attached routes.
    ObjectStatus gw = b.status().get(new ObjectRef("Gateway", "web", "ingress"));
    ListenerStatus grpcStatus = gw.listeners().stream().filter(l -> l.name().equals("grpc")).findFirst().orElseThrow();
    assertThat(grpcStatus.supportedKinds()).containsExactly("GRPCRoute");
    assertThat(grpcStatus.attachedRoutes()).isEqualTo(1);
    assertThat(grpcStatus.conditions().get(0).isTrue()).isTrue();
    ListenerStatus httpStatus = gw.listeners().get(0);
    assertThat(httpStatus.supportedKinds()).containsExactly("HTTPRoute", "GRPCRoute");
    assertThat(httpStatus.attachedRoutes()).as("shop, fallback and the GRPCRoute mixed").isEqualTo(3);
  }

  /** What a GatewayRoute cannot carry from a GRPCRoute is an error naming the field; a listener of HTTPRoutes only refuses it. */
  @Test
  void grpcRouteFiltersAndKindsAGatewayCannotServeAreReported() throws IOException {
    String text = withGrpcListener(golden()) + GRPC.replace("# end of rule 0", """
        filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: x-a, value: b}]""");
    assertThat(text).contains("set: [{name: x-a");
    BuildResult b = builder().build(TestManifests.resources(text));
    ObjectStatus greeter = b.status().get(new ObjectRef("GRPCRoute", "web", "greeter"));
    assertThat(greeter.problems()).anySatisfy(p -> {
      assertThat(p.isError()).isTrue();
      assertThat(p.field()).isEqualTo("spec.rules[0].filters[0].type");
      assertThat(p.message()).contains("RequestHeaderModifier", "not served through a Gateway");
    });
    RouteConfiguration rc = (RouteConfiguration) XdsTranslator.find(render(text).get(NODE), XdsResources.Type.ROUTE,
        "rds_ingress_http_9000");
    // Rule 0 is left out; rule 1 is served.
    assertThat(route(rc, grpc("grpc.example.com", "/helloworld.Greeter/SayBye"))).isEmpty();
    assertThat(route(rc, grpc("grpc.example.com", "/other.Health/Ping")).orElseThrow().share(GREETER_V2)).isEqualTo(1.0);

    String httpOnly = withGrpcListener(golden()) + GRPC.replace("sectionName: grpc", "sectionName: http");
    String restricted = httpOnly.replace("""
              hostname: "*.example.com"
        """, """
              hostname: "*.example.com"
              allowedRoutes:
                kinds: [{kind: HTTPRoute}]
        """);
    assertThat(restricted).isNotEqualTo(httpOnly);
    ObjectStatus refused = builder().build(TestManifests.resources(restricted)).status()
        .get(new ObjectRef("GRPCRoute", "web", "greeter"));
    assertThat(refused.condition().status()).isEqualTo("False");
    assertThat(refused.problems()).anySatisfy(p -> {
      assertThat(p.reason()).isEqualTo(Reason.NotAllowedByListeners);
      assertThat(p.field()).isEqualTo("spec.parentRefs[0]");
    });
  }

  /** What App Mesh's gateway rewrite cannot say is an error naming the field; the rule is not served. */
  @Test
  void rewritesAGatewayRouteCannotSayAndHeaderModifiersAreRejectedNamingTheField() throws IOException {
    String otherHost = REWRITES.replace("hostname: app.web.svc.cluster.local", "hostname: elsewhere.example.com");
    BuildResult b = builder().build(TestManifests.resources(golden() + otherHost));
    ObjectStatus rw = b.status().get(new ObjectRef("HTTPRoute", "web", "rw"));
    // The other rules are served (Accepted, with the error in the message, as for a rule splitting across Services).
    assertThat(rw.condition().message()).contains("1 error(s): spec.rules[0].filters[0].urlRewrite.hostname");
    assertThat(rw.problems()).anySatisfy(p -> {
      assertThat(p.isError()).isTrue();
      assertThat(p.field()).isEqualTo("spec.rules[0].filters[0].urlRewrite.hostname");
      assertThat(p.message()).contains("elsewhere.example.com", "app.web.svc.cluster.local");
    });
    RouteConfiguration rc = (RouteConfiguration) XdsTranslator.find(render(golden() + otherHost).get(NODE),
        XdsResources.Type.ROUTE, "rds_ingress_http_8080");
    // The rule is left out: /api/items falls to the last rule.
    assertThat(route(rc, Request.get("rw.example.com", "/api/items")).orElseThrow().path()).isEqualTo("/root/api/items");

    String onExact = REWRITES.replace("path: {type: ReplaceFullPath, replaceFullPath: /new-page}",
        "path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}");
    ObjectStatus e = builder().build(TestManifests.resources(golden() + onExact)).status()
        .get(new ObjectRef("HTTPRoute", "web", "rw"));
    // An invalid route (Gateway API allows ReplacePrefixMatch with a PathPrefix match only) is not served at all.
    assertThat(e.condition().status()).isEqualTo("False");
    assertThat(e.problems()).anySatisfy(p -> assertThat(p.field()).isEqualTo("spec.rules[1].filters[0].urlRewrite.path"));

    String headers = REWRITES.replace("""
              - type: URLRewrite
                urlRewrite:
                  path: {type: ReplaceFullPath, replaceFullPath: /new-page}
      """, """
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  set: [{name: x-a, value: b}]
      """);
    assertThat(headers).isNotEqualTo(REWRITES);
    ObjectStatus h = builder().build(TestManifests.resources(golden() + headers)).status()
        .get(new ObjectRef("HTTPRoute", "web", "rw"));
    assertThat(h.condition().message()).contains("1 error(s): spec.rules[1].filters[0].type");
    assertThat(h.problems()).anySatisfy(p -> {
      assertThat(p.isError()).isTrue();
      assertThat(p.field()).isEqualTo("spec.rules[1].filters[0].type");
      assertThat(p.message()).contains("RequestHeaderModifier", "not served through a Gateway");
    });
  }

  @Test
  void statusesSayWhatIsServedAndLoweredObjectsHaveNone() throws IOException {
    BuildResult b = builder().build(TestManifests.resources(golden()));
    ObjectStatus gw = b.status().get(new ObjectRef("Gateway", "web", "ingress"));
    assertThat(gw.condition().status()).isEqualTo("True");
    assertThat(gw.more()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("Programmed");
      assertThat(c.message()).contains("mesh/web/virtualGateway/ingress_web");
    });
    assertThat(gw.problems()).anySatisfy(p -> {
      assertThat(p.reason().name()).isEqualTo("UnsupportedProtocol");
      assertThat(p.field()).isEqualTo("spec.listeners[1].protocol");
    });
    ObjectStatus split = b.status().get(new ObjectRef("HTTPRoute", "web", "split"));
    assertThat(split.condition().status()).isEqualTo("False");
    assertThat(split.condition().message()).contains("spec.rules[0].backendRefs", "different Services");
    assertThat(b.status().get(new ObjectRef("HTTPRoute", "web", "shop")).condition().message())
        .contains("Gateway web/ingress listener http");
    assertThat(b.status().objects().keySet()).noneMatch(r -> r.kind().equals("VirtualGateway") || r.kind().equals("GatewayRoute"));
  }

  @Test
  void onlyGatewaysOfOurClassAreServed() throws IOException {
    String other = golden().replace("controllerName: appmesh-xds.io/gateway-controller", "controllerName: example.com/other");
    assertThat(render(other)).doesNotContainKey(NODE);
    BuildResult b = builder().build(TestManifests.resources(other));
    assertThat(b.status().get(new ObjectRef("Gateway", "web", "ingress"))).isNull();
    ObjectStatus shop = b.status().get(new ObjectRef("HTTPRoute", "web", "shop"));
    assertThat(shop.condition().status()).isEqualTo("False");
    assertThat(shop.problems()).anySatisfy(p -> assertThat(p.message()).contains("not served by appmesh-xds"));
  }

  @Test
  void aGatewayNamedLikeAVirtualGatewayIsRejected() throws IOException {
    String clash = golden() + """
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualGateway
        metadata:
          name: ingress
          namespace: web
        spec:
          namespaceSelector:
            matchLabels:
              mesh: web
          listeners:
            - portMapping:
                port: 9000
                protocol: http
        """;
    BuildResult b = builder().build(TestManifests.resources(clash));
    ObjectStatus gw = b.status().get(new ObjectRef("Gateway", "web", "ingress"));
    assertThat(gw.condition().status()).isEqualTo("False");
    assertThat(gw.condition().reason().name()).isEqualTo("NameConflict");
    // The written VirtualGateway is served as it is.
    assertThat(b.status().get(new ObjectRef("VirtualGateway", "web", "ingress")).condition().status()).isEqualTo("True");
  }

  /**
   * What Gateway API's status needs beside the Gateway's conditions: listeners with their
   * conditions and attached route counts, the GatewayClass, the route parents' reasons.
   */
  @Test
  void listenersClassAndRouteParentsHaveGatewayApisConditions() throws IOException {
    String text = golden()
        .replace("""
                - name: https
                  port: 8443
                  protocol: HTTPS
            """, """
                - name: https
                  port: 8443
                  protocol: HTTPS
                - name: twin
                  port: 8080
                  protocol: HTTP
                  hostname: "*.example.com"
                - name: other
                  port: 8081
                  protocol: HTTP
                  hostname: other.example.org
                  allowedRoutes:
                    kinds: [{kind: HTTPRoute}, {kind: TLSRoute}]
            """) + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: elsewhere
          namespace: web
        spec:
          parentRefs:
            - name: ingress
              sectionName: other
          hostnames: [shop.example.com]
          rules:
            - backendRefs:
                - name: app
                  port: 8080
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: foreign
          namespace: team
        spec:
          parentRefs:
            - name: ingress
              namespace: web
          rules:
            - backendRefs:
                - name: app
                  port: 8080
        """;
    BuildResult b = builder().build(TestManifests.resources(text));
    ObjectStatus gw = b.status().get(new ObjectRef("Gateway", "web", "ingress"));
    assertThat(gw.condition().isTrue()).isTrue();
    assertThat(gw.condition().reason()).isEqualTo(Reason.ListenersNotValid);
    assertThat(gw.listeners()).extracting(ListenerStatus::name).containsExactly("http", "https", "twin", "other");
    ListenerStatus http = gw.listeners().get(0);
    assertThat(http.supportedKinds()).containsExactly("HTTPRoute", "GRPCRoute");
    assertThat(http.attachedRoutes()).as("shop and fallback; split is not Accepted, foreign not allowed").isEqualTo(2);
    assertThat(http.conditions()).extracting(Condition::type, Condition::status, Condition::reason).containsExactly(
        tuple("Accepted", "True", Reason.Accepted), tuple("Programmed", "True", Reason.Programmed),
        tuple("ResolvedRefs", "True", Reason.Accepted), tuple("Conflicted", "False", Reason.NoConflicts));
    ListenerStatus https = gw.listeners().get(1);
    assertThat(https.supportedKinds()).isEmpty();
    assertThat(https.conditions()).extracting(Condition::type, Condition::status, Condition::reason).startsWith(
        tuple("Accepted", "False", Reason.UnsupportedProtocol), tuple("Programmed", "False", Reason.Invalid));
    ListenerStatus twin = gw.listeners().get(2);
    assertThat(twin.conditions()).extracting(Condition::type, Condition::status, Condition::reason).contains(
        tuple("Accepted", "False", Reason.HostnameConflict), tuple("Conflicted", "True", Reason.HostnameConflict));
    ListenerStatus other = gw.listeners().get(3);
    assertThat(other.supportedKinds()).containsExactly("HTTPRoute");
    assertThat(other.conditions()).extracting(Condition::type, Condition::status, Condition::reason)
        .contains(tuple("ResolvedRefs", "False", Reason.InvalidRouteKinds));
    assertThat(other.attachedRoutes()).as("fallback (no sectionName, no hostnames); not elsewhere (no hostname matches)")
        .isEqualTo(1);

    ObjectStatus elsewhere = b.status().get(new ObjectRef("HTTPRoute", "web", "elsewhere"));
    assertThat(elsewhere.gatewayParents()).containsExactly(0);
    assertThat(elsewhere.problems()).anySatisfy(p -> {
      assertThat(p.reason()).isEqualTo(Reason.NoMatchingListenerHostname);
      assertThat(p.field()).isEqualTo("spec.parentRefs[0]");
    });
    ObjectStatus foreign = b.status().get(new ObjectRef("HTTPRoute", "team", "foreign"));
    assertThat(foreign.problems()).anySatisfy(p -> assertThat(p.reason()).isEqualTo(Reason.NotAllowedByListeners));
    assertThat(b.status().get(new ObjectRef("HTTPRoute", "web", "shop")).gatewayParents()).containsExactly(0);

    ObjectStatus gc = b.status().get(new ObjectRef("GatewayClass", null, "appmesh-xds"));
    assertThat(gc.condition()).extracting(Condition::type, Condition::status).containsExactly("Accepted", "True");
  }

  @Test
  void aGatewayWithoutAnHttpListenerIsListenersNotValidAndAClashKeepsItsListenersAccepted() throws IOException {
    String https = golden().replace("port: 8080\n      protocol: HTTP\n", "port: 8080\n      protocol: TCP\n");
    ObjectStatus gw = builder().build(TestManifests.resources(https)).status().get(new ObjectRef("Gateway", "web", "ingress"));
    assertThat(gw.condition()).extracting(Condition::status, Condition::reason).containsExactly("False", Reason.ListenersNotValid);
    assertThat(gw.more().get(0)).extracting(Condition::status, Condition::reason).containsExactly("False", Reason.Invalid);
    assertThat(gw.listeners()).allSatisfy(l -> assertThat(l.conditions().get(0).isTrue()).isFalse());

    String clash = golden() + """
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualGateway
        metadata:
          name: ingress
          namespace: web
        spec:
          listeners:
            - portMapping:
                port: 9000
                protocol: http
        """;
    gw = builder().build(TestManifests.resources(clash)).status().get(new ObjectRef("Gateway", "web", "ingress"));
    assertThat(gw.condition()).extracting(Condition::status, Condition::reason).containsExactly("False", Reason.NameConflict);
    assertThat(gw.more().get(0)).extracting(Condition::status, Condition::reason).containsExactly("False", Reason.Invalid);
    assertThat(gw.listeners().get(0).conditions()).extracting(Condition::type, Condition::status).startsWith(
        tuple("Accepted", "True"), tuple("Programmed", "False"));
    assertThat(gw.listeners().get(0).attachedRoutes()).as("routes of a Gateway that is not accepted are not").isZero();
  }

  /** Each step's incremental build equals a build of the same input from scratch (statuses and plans). */
  @Test
  void incrementalBuildsEqualBuildsFromScratch() throws IOException {
    String base = golden();
    List<String> steps = List.of(
        base,
        base.replace("value: /api}", "value: /v2}"),                         // a route's match changes
        base.replace("sectionName: http\n", ""),                              // the parentRef loses its section
        base.replace("      hostname: \"*.example.com\"\n", ""),           // the listener's hostname goes
        base.replace("port: 8080\n      protocol: HTTP", "port: 8081\n      protocol: HTTP"), // the listener moves
        base.replace("kind: Gateway\n", "kind: Gatewayy\n"),                  // the Gateway goes away
        base,
        withGrpcListener(base) + GRPC,                                         // GRPCRoutes: listeners grpc and http2
        withGrpcListener(base) + GRPC.replace("sectionName: http\n", "sectionName: grpc\n"), // 8080 back to http
        withGrpcListener(base) + GRPC.replace("method: {service: helloworld.Greeter}", "method: {service: hello.G}"),
        base);
    MeshModelBuilder incremental = builder();
    MeshResources before = null;
    for (String step : steps) {
      MeshResources in = TestManifests.resources(step);
      BuildResult inc = incremental.update(in, InputChanges.between(before, in));
      BuildResult scratch = builder().build(in);
      assertThat(inc.status()).as("statuses after step %d", steps.indexOf(step)).isEqualTo(scratch.status());
      assertThat(plans(inc)).as("plans after step %d", steps.indexOf(step)).isEqualTo(plans(scratch));
      before = in;
    }
  }

  static SortedMap<NodeKey, ProxyPlan> plans(BuildResult b) {
    return new Planner(List.of(GatewayModule.planner()), List.of()).planAll(new PlanContext(b.model()), List.of());
  }

  static MeshModelBuilder builder() {
    return new MeshModelBuilder(new LocalRuleCache(), List.of(), GatewayModule.checks());
  }
}
