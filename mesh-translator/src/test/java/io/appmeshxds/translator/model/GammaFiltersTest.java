package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.EndpointOptions;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.PlanSession;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.xds.XdsChecks;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * Gateway API RequestMirror and RequestRedirect on GAMMA routes: what the model accepts and
 * rejects (with field paths), what Envoy and proxyless gRPC clients get (mirror policies and their
 * clusters, redirect actions; none of either for gRPC), and incremental builds that equal builds
 * from scratch while mirrors and redirects come and go.
 */
class GammaFiltersTest {
  static final NodeKey CLIENT = NodeKey.sidecar("shop", "client_shop");
  static final NodeKey GRPC = NodeKey.proxyless("shop", "client_shop", Dialect.GRPC);
  static final String PRIMARY = "cds_egress_shop_podinfo-primary_shop_http_9898";
  static final String CANARY = "cds_egress_shop_podinfo-canary_shop_http_9898";
  /** Used by mirrors only: without a mirror no proxy has it. */
  static final String SHADOW = "cds_egress_shop_shadow_shop_http_8080";
  static final String REMOTE = "cds_egress_shop_remote_other_http_8080";
  static final String RDS = "rds_egress_http_9898";

  static String node(String name, String ns, int port) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: %1$s
          namespace: %2$s
        spec:
          podSelector:
            matchLabels:
              app: %1$s
          listeners:
            - portMapping:
                port: %3$d
                protocol: http
          serviceDiscovery:
            dns:
              hostname: %1$s.%2$s.svc.cluster.local
        """.formatted(name, ns, port);
  }

  /** A mesh whose client calls podinfo (router: all to the primary); nodes canary, shadow and other/remote. */
  static final String MESH = String.join("---\n", """
      # golden: proxyless=shop/client_shop
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
        labels:
          mesh: shop
      """, """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: other
        labels:
          mesh: shop
      """, """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: Mesh
      metadata:
        name: shop
      spec:
        namespaceSelector:
          matchLabels:
            mesh: shop
      """, """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata:
        name: client
        namespace: shop
      spec:
        podSelector:
          matchLabels:
            app: client
        backends:
          - virtualService:
              virtualServiceRef:
                name: podinfo
      """, node("podinfo-primary", "shop", 9898), node("podinfo-canary", "shop", 9898), node("shadow", "shop", 8080),
      node("remote", "other", 8080), """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualService
      metadata:
        name: podinfo
        namespace: shop
      spec:
        provider:
          virtualRouter:
            virtualRouterRef:
              name: podinfo
      """, """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualRouter
      metadata:
        name: podinfo
        namespace: shop
      spec:
        listeners:
          - portMapping:
              port: 9898
              protocol: http
        routes:
          - name: podinfo
            httpRoute:
              match:
                prefix: /
              action:
                weightedTargets:
                  - virtualNodeRef:
                      name: podinfo-primary
                    weight: 100
      """, """
      apiVersion: gateway.networking.k8s.io/v1beta1
      kind: ReferenceGrant
      metadata:
        name: shop-routes
        namespace: other
      spec:
        from:
          - group: gateway.networking.k8s.io
            kind: HTTPRoute
            namespace: shop
        to:
          - group: ""
            kind: Service
            name: remote
      """);

  /** An HTTPRoute {@code name} on Service podinfo with {@code rules} (YAML indented for {@code rules:}). */
  static String route(String name, String rules) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: %s
          namespace: shop
        spec:
          parentRefs:
            - group: ""
              kind: Service
              name: podinfo
          rules:
        %s""".formatted(name, rules.indent(4));
  }

  static final String MIRRORS = route("mirrors", """
      - matches:
          - path:
              type: PathPrefix
              value: /a
        filters:
          - type: RequestMirror
            requestMirror:
              backendRef:
                name: shadow
                port: 8080
          - type: RequestMirror
            requestMirror:
              backendRef:
                name: podinfo-canary
                port: 9898
              percent: 50
          - type: RequestMirror
            requestMirror:
              backendRef:
                name: remote
                namespace: other
                port: 8080
              fraction:
                numerator: 1
                denominator: 8
          - type: RequestMirror
            requestMirror:
              backendRef:
                name: podinfo-canary
                port: 9898
              fraction:
                numerator: 5
        backendRefs:
          - name: podinfo-primary
            port: 9898
      """);

  static final String REDIRECTS = route("redirects", """
      - matches:
          - path:
              type: PathPrefix
              value: /old
        filters:
          - type: RequestRedirect
            requestRedirect:
              path:
                type: ReplacePrefixMatch
                replacePrefixMatch: /new/v2
              statusCode: 308
      - matches:
          - path:
              type: Exact
              value: /secure
        filters:
          - type: RequestRedirect
            requestRedirect:
              scheme: https
      - matches:
          - path:
              type: Exact
              value: /moved
        filters:
          - type: RequestRedirect
            requestRedirect:
              hostname: new.example.com
              port: 8080
              path:
                type: ReplaceFullPath
                replaceFullPath: /landing
              statusCode: 303
      """);

  static Map<NodeKey, XdsResources> render(String text) {
    GoldenRunner runner = new GoldenRunner(Path.of("."), () -> new Planner(List.of(), List.of()), List.of());
    Map<NodeKey, XdsResources> out = runner.render("gamma-filters", text).resources();
    out.forEach((k, r) -> assertThat(XdsChecks.check(r)).as("consistency and Envoy's proto rules of %s", k).isEmpty());
    return out;
  }

  static Optional<Route> route(XdsResources r, String name) {
    RouteConfiguration rc = (RouteConfiguration) XdsTranslator.find(r, XdsResources.Type.ROUTE, RDS);
    for (VirtualHost vh : rc.getVirtualHostsList()) {
      for (Route route : vh.getRoutesList()) {
        if (route.getName().equals(name)) {
          return Optional.of(route);
        }
      }
    }
    return Optional.empty();
  }

  static boolean hasCluster(XdsResources r, String name) {
    return XdsTranslator.find(r, XdsResources.Type.CLUSTER, name) != null;
  }

  @Test
  void mirrorsBecomeMirrorPoliciesWithTheirFractionsAndTheirClustersAreServed() {
    Map<NodeKey, XdsResources> without = render(MESH);
    assertThat(hasCluster(without.get(CLIENT), SHADOW)).as("no mirror, no shadow cluster").isFalse();

    Map<NodeKey, XdsResources> r = render(MESH + "---\n" + MIRRORS);
    XdsResources sidecar = r.get(CLIENT);
    RouteAction a = route(sidecar, "HTTPRoute/shop/mirrors/rules-0/matches-0").orElseThrow().getRoute();
    assertThat(a.getWeightedClusters().getClustersList()).singleElement()
        .satisfies(c -> assertThat(c.getName()).isEqualTo(PRIMARY));
    List<RouteAction.RequestMirrorPolicy> m = a.getRequestMirrorPoliciesList();
    assertThat(m).extracting(RouteAction.RequestMirrorPolicy::getCluster).containsExactly(SHADOW, CANARY, REMOTE, CANARY);
    // No percent or fraction: every request, no runtime fraction at all.
    assertThat(m.get(0).hasRuntimeFraction()).isFalse();
    assertThat(m.get(1).getRuntimeFraction().getDefaultValue()).isEqualTo(FractionalPercent.newBuilder()
        .setNumerator(50).setDenominator(FractionalPercent.DenominatorType.HUNDRED).build());
    // 1/8 is 1250/10000 (12.5 % has no exact hundredths), and 5 with the default denominator 100 is 5/100.
    assertThat(m.get(2).getRuntimeFraction().getDefaultValue()).isEqualTo(FractionalPercent.newBuilder()
        .setNumerator(1250).setDenominator(FractionalPercent.DenominatorType.TEN_THOUSAND).build());
    assertThat(m.get(3).getRuntimeFraction().getDefaultValue()).isEqualTo(FractionalPercent.newBuilder()
        .setNumerator(5).setDenominator(FractionalPercent.DenominatorType.HUNDRED).build());
    // The mirrors' clusters are the client's: CDS and (EDS clusters) their load assignments.
    assertThat(hasCluster(sidecar, SHADOW)).isTrue();
    assertThat(hasCluster(sidecar, REMOTE)).isTrue();

    // gRPC does not mirror: the proxyless client's route forwards and carries no mirror, and the
    // mirror-only cluster is not its cluster.
    XdsResources grpc = r.get(GRPC);
    RouteAction g = route(grpc, "HTTPRoute/shop/mirrors/rules-0/matches-0").orElseThrow().getRoute();
    assertThat(g.getRequestMirrorPoliciesList()).isEmpty();
    assertThat(g.getWeightedClusters().getClustersList()).singleElement()
        .satisfies(c -> assertThat(c.getName()).isEqualTo(PRIMARY));
    assertThat(hasCluster(grpc, SHADOW)).isFalse();
  }

  @Test
  void redirectsBecomeRedirectActionsAndProxylessClientsDoNotGetThem() {
    Map<NodeKey, XdsResources> r = render(MESH + "---\n" + REDIRECTS);
    XdsResources sidecar = r.get(CLIENT);
    Route prefix = route(sidecar, "HTTPRoute/shop/redirects/rules-0/matches-0").orElseThrow();
    assertThat(prefix.hasRoute()).isFalse();
    RedirectAction p = prefix.getRedirect();
    assertThat(p.getResponseCode()).isEqualTo(RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT);
    assertThat(p.getSchemeRedirect()).isEmpty();
    assertThat(p.getHostRedirect()).isEmpty();
    assertThat(p.getPortRedirect()).isZero();
    // ReplacePrefixMatch on the segment-wise prefix /old: what follows the prefix is kept.
    Pattern re = Pattern.compile(p.getRegexRewrite().getPattern().getRegex());
    String sub = p.getRegexRewrite().getSubstitution().replace("\\1", "$1");
    assertThat(re.matcher("/old").replaceAll(sub)).isEqualTo("/new/v2");
    assertThat(re.matcher("/old/").replaceAll(sub)).isEqualTo("/new/v2/");
    assertThat(re.matcher("/old/a/b").replaceAll(sub)).isEqualTo("/new/v2/a/b");

    // A scheme without a port: the scheme's well-known port (Gateway API), host and path kept; 302 by default.
    RedirectAction s = route(sidecar, "HTTPRoute/shop/redirects/rules-1/matches-0").orElseThrow().getRedirect();
    assertThat(s.getSchemeRedirect()).isEqualTo("https");
    assertThat(s.getPortRedirect()).isEqualTo(443);
    assertThat(s.getHostRedirect()).isEmpty();
    assertThat(s.getPathRedirect()).isEmpty();
    assertThat(s.hasRegexRewrite()).isFalse();
    assertThat(s.getResponseCode()).isEqualTo(RedirectAction.RedirectResponseCode.FOUND);

    RedirectAction h = route(sidecar, "HTTPRoute/shop/redirects/rules-2/matches-0").orElseThrow().getRedirect();
    assertThat(h.getHostRedirect()).isEqualTo("new.example.com");
    assertThat(h.getPortRedirect()).isEqualTo(8080);
    assertThat(h.getPathRedirect()).isEqualTo("/landing");
    assertThat(h.getSchemeRedirect()).isEmpty();
    assertThat(h.getResponseCode()).isEqualTo(RedirectAction.RedirectResponseCode.SEE_OTHER);

    // grpc-java NACKs a route whose action is a redirect: the proxyless client gets none of them
    // (its virtual host for podinfo stays, with no route: the route's rules are all redirects).
    XdsResources grpc = r.get(GRPC);
    RouteConfiguration rc = (RouteConfiguration) XdsTranslator.find(grpc, XdsResources.Type.ROUTE, RDS);
    assertThat(rc.getVirtualHostsList()).singleElement().satisfies(vh -> {
      assertThat(vh.getDomainsList()).contains("podinfo.shop");
      assertThat(vh.getRoutesList()).isEmpty();
    });
  }

  static BuildResult build(String text) {
    return new MeshModelBuilder().build(TestManifests.resources(text));
  }

  static ObjectStatus status(String text, String name) {
    return build(text).status().get(new ObjectRef("HTTPRoute", "shop", name));
  }

  /** The route {@code bad} made of {@code rules}: rejected with an error of {@code reason} at {@code field}. */
  static void rejected(String rules, String field, Reason reason, String words) {
    ObjectStatus s = status(MESH + "---\n" + route("bad", rules), "bad");
    assertThat(s.condition().status()).as("Accepted of a route with an error at %s", field).isEqualTo("False");
    assertThat(s.problems()).filteredOn(Problem::isError).anySatisfy(p -> {
      assertThat(p.field()).isEqualTo(field);
      assertThat(p.reason()).isEqualTo(reason);
      assertThat(p.message()).contains(words);
    });
  }

  static String filter(String yaml) {
    return """
        - matches:
            - path:
                type: PathPrefix
                value: /x
          filters:
        %s  backendRefs:
            - name: podinfo-primary
              port: 9898
        """.formatted(yaml.indent(4));
  }

  @Test
  void invalidRedirectsAndMirrorsAreRejectedWithTheirFieldPaths() {
    String redirect = "- type: RequestRedirect\n  requestRedirect:\n    hostname: a.example.com\n";
    rejected(filter("- type: URLRewrite\n  urlRewrite:\n    hostname: b.example.com\n" + redirect),
        "spec.rules[0].filters[1].type", Reason.InvalidSpec, "cannot both be set");
    rejected(filter(redirect + redirect), "spec.rules[0].filters[1].type", Reason.InvalidSpec, "may appear once");
    rejected(filter("- type: RequestRedirect\n  requestRedirect:\n    statusCode: 304\n"),
        "spec.rules[0].filters[0].requestRedirect.statusCode", Reason.InvalidSpec, "301, 302, 303, 307, 308");
    rejected(filter("- type: RequestRedirect\n  requestRedirect:\n    scheme: ftp\n"),
        "spec.rules[0].filters[0].requestRedirect.scheme", Reason.InvalidSpec, "http, https");
    rejected(filter("- type: RequestRedirect\n  requestRedirect:\n    port: 70000\n"),
        "spec.rules[0].filters[0].requestRedirect.port", Reason.InvalidSpec, "1-65535");
    rejected(filter("- type: RequestRedirect\n  requestRedirect:\n    hostname: Not_A_Host\n"),
        "spec.rules[0].filters[0].requestRedirect.hostname", Reason.InvalidSpec, "not a DNS host name");
    rejected("""
        - matches:
            - path:
                type: Exact
                value: /x
          filters:
            - type: RequestRedirect
              requestRedirect:
                path:
                  type: ReplacePrefixMatch
                  replacePrefixMatch: /y
        """, "spec.rules[0].filters[0].requestRedirect.path", Reason.InvalidSpec, "needs a PathPrefix match");
    rejected(filter("- type: RequestRedirect\n  requestRedirect:\n    path:\n      type: ReplaceFullPath\n"),
        "spec.rules[0].filters[0].requestRedirect.path.replaceFullPath", Reason.InvalidSpec, "absolute path");
    String mirrorTo = "- type: RequestMirror\n  requestMirror:\n    backendRef:\n      name: shadow\n      port: 8080\n";
    rejected(filter(mirrorTo + "    percent: 10\n    fraction:\n      numerator: 1\n"),
        "spec.rules[0].filters[0].requestMirror", Reason.InvalidSpec, "exclusive");
    rejected(filter(mirrorTo + "    percent: 101\n"),
        "spec.rules[0].filters[0].requestMirror.percent", Reason.InvalidSpec, "0-100");
    rejected(filter(mirrorTo + "    fraction:\n      numerator: 3\n      denominator: 2\n"),
        "spec.rules[0].filters[0].requestMirror.fraction.numerator", Reason.InvalidSpec, "at most the denominator");
    rejected(filter(mirrorTo + "    fraction:\n      numerator: 0\n      denominator: 0\n"),
        "spec.rules[0].filters[0].requestMirror.fraction.denominator", Reason.InvalidSpec, "at least 1");
    rejected(filter(mirrorTo.replace("      port: 8080\n", "      port: 8080\n      weight: 5\n")),
        "spec.rules[0].filters[0].requestMirror.backendRef.weight", Reason.InvalidSpec, "BackendObjectReference");
    rejected(filter("- type: RequestMirror\n  requestMirror: {}\n"),
        "spec.rules[0].filters[0].requestMirror.backendRef", Reason.InvalidSpec, "required");
    // On a backendRef, neither is served (put them on the rule).
    rejected("""
        - backendRefs:
            - name: podinfo-primary
              port: 9898
              filters:
                - type: RequestMirror
                  requestMirror:
                    backendRef:
                      name: shadow
                      port: 8080
                - type: RequestRedirect
                  requestRedirect:
                    hostname: a.example.com
        """, "spec.rules[0].backendRefs[0].filters[0].type", Reason.Unsupported, "on a backendRef");
    ObjectStatus both = status(MESH + "---\n" + route("bad", """
        - backendRefs:
            - name: podinfo-primary
              port: 9898
              filters:
                - type: RequestRedirect
                  requestRedirect:
                    hostname: a.example.com
        """), "bad");
    assertThat(both.problems()).anySatisfy(p -> assertThat(p.field()).isEqualTo("spec.rules[0].backendRefs[0].filters[0].type"));
  }

  @Test
  void aGrpcRouteMayMirrorButNotRedirect() {
    String grpc = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata:
          name: g
          namespace: shop
        spec:
          parentRefs:
            - group: ""
              kind: Service
              name: podinfo
          rules:
            - filters:
                - type: %s
              backendRefs:
                - name: podinfo-primary
                  port: 9898
        """;
    BuildResult b = build(MESH + "---\n" + grpc.formatted("RequestRedirect\n          requestRedirect:\n            hostname: a.b"));
    ObjectStatus s = b.status().get(new ObjectRef("GRPCRoute", "shop", "g"));
    assertThat(s.condition().status()).isEqualTo("False");
    assertThat(s.problems()).anySatisfy(p -> {
      assertThat(p.field()).isEqualTo("spec.rules[0].filters[0].type");
      assertThat(p.message()).contains("GRPCRoute has no RequestRedirect");
    });
    BuildResult m = build(MESH + "---\n" + grpc.formatted(
        "RequestMirror\n          requestMirror:\n            backendRef:\n              name: shadow\n              port: 8080"));
    assertThat(m.status().get(new ObjectRef("GRPCRoute", "shop", "g")).condition().status()).isEqualTo("True");
    ServiceRoutes sr = m.model().meshes().get("shop").serviceRoutes().get("podinfo.shop");
    assertThat(sr.rules()).singleElement().satisfies(r -> assertThat(r.mirrors()).containsExactly(
        new ServiceRoutes.Mirror("shadow_shop", 8080, io.appmeshxds.translator.api.PortProtocol.http, 100, 100)));
  }

  @Test
  void aMirrorThatDoesNotResolveIsLeftOutAndSaysWhy() {
    String rules = """
        - filters:
            - type: RequestMirror
              requestMirror:
                backendRef:
                  name: nothing
                  port: 80
            - type: RequestMirror
              requestMirror:
                backendRef:
                  name: secret
                  namespace: other
                  port: 8080
            - type: RequestMirror
              requestMirror:
                backendRef:
                  name: shadow
                  port: 8080
          backendRefs:
            - name: podinfo-primary
              port: 9898
        """;
    String text = MESH + "---\n" + node("secret", "other", 8080) + "---\n" + route("m", rules);
    ObjectStatus s = status(text, "m");
    assertThat(s.condition().status()).as("the route is served with its resolved mirror").isEqualTo("True");
    assertThat(s.more()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("ResolvedRefs");
      assertThat(c.status()).isEqualTo("False");
      assertThat(c.reason()).isEqualTo(Reason.BackendNotFound);
    });
    assertThat(s.problems()).anySatisfy(p -> {
      assertThat(p.field()).isEqualTo("spec.rules[0].filters[0].requestMirror.backendRef.name");
      assertThat(p.reason()).isEqualTo(Reason.BackendNotFound);
      assertThat(p.message()).endsWith("nothing is mirrored there");
    });
    assertThat(s.problems()).anySatisfy(p -> {
      assertThat(p.field()).isEqualTo("spec.rules[0].filters[1].requestMirror.backendRef.namespace");
      assertThat(p.reason()).isEqualTo(Reason.RefNotPermitted);
    });
    RouteAction a = route(render(text).get(CLIENT), "HTTPRoute/shop/m/rules-0/matches-0").orElseThrow().getRoute();
    assertThat(a.getRequestMirrorPoliciesList()).extracting(RouteAction.RequestMirrorPolicy::getCluster)
        .containsExactly(SHADOW);
  }

  /**
   * While mirrors and redirects are added, changed and removed, the incremental model builder and
   * plan session give what builds from scratch give, and a warm translator (reusing what it built)
   * gives the resources a fresh one gives; the mirror-only cluster comes and goes with its mirror.
   */
  @Test
  void incrementalBuildsEqualBuildsFromScratchAsMirrorsAndRedirectsComeAndGo() {
    List<String> steps = List.of(
        MESH,
        MESH + "---\n" + MIRRORS,                                                   // mirrors added
        MESH + "---\n" + MIRRORS.replace("percent: 50", "percent: 20"),            // a fraction changes
        MESH + "---\n" + MIRRORS.replace("name: shadow", "name: podinfo-canary").replace("port: 8080\n", "port: 9898\n"),
        MESH + "---\n" + MIRRORS + "---\n" + REDIRECTS,                            // redirects too
        MESH + "---\n" + REDIRECTS,                                                 // mirrors removed
        MESH + "---\n" + REDIRECTS.replace("statusCode: 308", "statusCode: 301"),
        MESH);
    List<NodeKey> proxyless = List.of(GRPC);
    MeshModelBuilder incremental = new MeshModelBuilder();
    PlanSession session = new PlanSession(new Planner(EndpointOptions.appMesh(), List.of(), List.of()));
    XdsTranslator warm = new XdsTranslator();
    Map<NodeKey, ProxyPlan> previousPlans = new HashMap<>();
    Map<NodeKey, XdsResources> previous = new HashMap<>();
    MeshResources before = null;
    for (int i = 0; i < steps.size(); i++) {
      String at = "step " + i;
      MeshResources in = TestManifests.resources(steps.get(i));
      BuildResult inc = incremental.update(in, InputChanges.between(before, in));
      BuildResult fresh = new MeshModelBuilder().build(in);
      assertThat(inc.status().objects()).as(at + ": statuses").isEqualTo(fresh.status().objects());
      assertThat(inc.model().meshes()).as(at + ": resolved graph").isEqualTo(fresh.model().meshes());
      session.update(inc.model(), inc.changes(), proxyless);
      SortedMap<NodeKey, ProxyPlan> expected = new Planner(EndpointOptions.appMesh(), List.of(), List.of())
          .planAll(new PlanContext(fresh.model()), proxyless);
      assertThat(session.keys()).as(at + ": planned proxies").containsExactlyInAnyOrderElementsOf(expected.keySet());
      for (Map.Entry<NodeKey, ProxyPlan> e : expected.entrySet()) {
        ProxyPlan plan = session.plan(e.getKey());
        assertThat(plan).as(at + ": plan of " + e.getKey()).isEqualTo(e.getValue());
        XdsResources got = warm.translate(plan, previousPlans.get(e.getKey()), previous.get(e.getKey()));
        XdsResources want = new XdsTranslator().translate(e.getValue());
        assertThat(got).as(at + ": resources of " + e.getKey()).isEqualTo(want);
        assertThat(XdsChecks.check(got)).as(at + ": checks of " + e.getKey()).isEmpty();
        previousPlans.put(e.getKey(), plan);
        previous.put(e.getKey(), got);
      }
      boolean mirrorsToShadow = i == 1 || i == 2 || i == 4;
      assertThat(hasCluster(previous.get(CLIENT), SHADOW)).as(at + ": the shadow cluster").isEqualTo(mirrorsToShadow);
      before = in;
    }
  }
}
