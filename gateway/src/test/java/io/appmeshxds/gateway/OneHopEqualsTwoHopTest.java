package io.appmeshxds.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.appmeshxds.gateway.EnvoyRouteEvaluator.Request;
import io.appmeshxds.gateway.EnvoyRouteEvaluator.Result;
import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.HeaderMatch;
import io.appmeshxds.translator.api.QueryParameterMatch;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.LocalRuleCache;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.model.ResolvedGatewayRoute;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One hop at the gateway routes every request as App Mesh's two hops did: for each GatewayRoute of
 * every golden input (alone with its target, plus a client VirtualNode that has the target as a
 * backend), and for a few thousand requests built from the paths, hosts and headers the input
 * mentions, the gateway's rendered routes (by {@link EnvoyRouteEvaluator}) select the same router
 * route, clusters, weights, upstream path and host as
 *
 * <ol>
 *   <li>the GatewayRoute's match and rewrite as App Mesh documents them (appmesh-spec §2.6–2.7),
 *       plus the twin {@code /x} that App Mesh's gateway added to a prefix {@code /x/} under the
 *       default rewrite (its config dump), written here independently of the gateway module, then
 *   <li>the router's routes as the client sidecar's egress renders them (by the same evaluator),
 *       on the rewritten request.
 * </ol>
 *
 * Requests whose second hop picks a router route the GatewayRoute's status reports as not served
 * ("cannot express") are the only allowed differences, and are counted.
 */
class OneHopEqualsTwoHopTest {

  @TestFactory
  Stream<DynamicTest> everyGatewayRouteOfTheGoldenCases() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> s = Files.list(GatewayGoldenTest.DIR)) {
      for (Path in : s.filter(p -> p.toString().endsWith(".in.yaml")).sorted().toList()) {
        String text = Files.readString(in, StandardCharsets.UTF_8);
        List<String> docs = List.of(text.split("\n---\n"));
        for (String gr : docs.stream().filter(d -> d.contains("\nkind: GatewayRoute")).toList()) {
          String name = field(gr, "metadata:\\s*\\n\\s*name: (\\S+)");
          tests.add(DynamicTest.dynamicTest(in.getFileName().toString().replace(".in.yaml", "") + " " + name,
              () -> check(docs, gr, text)));
        }
      }
    }
    return tests.stream();
  }

  static String field(String doc, String regex) {
    Matcher m = java.util.regex.Pattern.compile(regex).matcher(doc);
    return m.find() ? m.group(1) : null;
  }

  void check(List<String> docs, String grDoc, String fullText) {
    String ns = field(grDoc, "namespace: (\\S+)");
    String vs = field(grDoc, "virtualServiceRef:\\s*\\n\\s*name: (\\S+)");
    List<String> kept = new ArrayList<>();
    for (String d : docs) {
      if (!d.contains("\nkind: GatewayRoute") || d == grDoc) {
        kept.add(d);
      }
    }
    kept.add("""
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: oracle-client
          namespace: %s
        spec:
          backends:
            - virtualService:
                virtualServiceRef:
                  name: %s
        """.formatted(ns, vs));
    BuildResult built = new MeshModelBuilder(new LocalRuleCache(), List.of(), GatewayModule.checks())
        .build(MeshResources.of(new ManifestLoader().loadText("oracle", String.join("\n---\n", kept))));
    MeshGraph mesh = built.model().meshes().values().iterator().next();
    ObjectStatus status = built.status().objects().values().stream()
        .filter(st -> st.object().kind().equals("GatewayRoute")).findFirst().orElseThrow();
    if (mesh.gatewayRoutes().isEmpty()) {
      assertThat(status.accepted()).as("only a rejected gateway route is left out").isFalse();
      return;
    }
    ResolvedGatewayRoute r = mesh.gatewayRoutes().values().iterator().next();
    Set<String> inexpressible = new LinkedHashSet<>();
    for (Problem p : status.problems()) {
      Matcher m = java.util.regex.Pattern.compile(" route (\\S+) \\(.*(cannot|one Envoy route)").matcher(p.message());
      if (m.find()) {
        inexpressible.add(m.group(1));
      }
    }
    SortedMap<NodeKey, ProxyPlan> plans = new Planner(List.of(GatewayModule.planner()), List.of())
        .planAll(new PlanContext(built.model()), List.of());
    XdsTranslator xds = new XdsTranslator(GatewayModule.extensions());
    XdsResources gateway = xds.translate(plans.get(NodeKey.gateway(mesh.name(), r.gateway())));
    XdsResources client = xds.translate(plans.get(NodeKey.sidecar(mesh.name(), "oracle-client_" + ns)));
    GatewayRoute spec = r.route().spec() == null ? null : r.route();
    Long listenerPort = spec.spec().grpcRoute() != null ? spec.spec().grpcRoute().match().port()
        : (spec.spec().httpRoute() != null ? spec.spec().httpRoute() : spec.spec().http2Route()).match().port();
    RouteConfiguration atGateway = listenerPort != null
        ? (RouteConfiguration) XdsTranslator.find(gateway, XdsResources.Type.ROUTE, "rds_ingress_http_" + listenerPort)
        : gateway.<RouteConfiguration>protos(XdsResources.Type.ROUTE).get(0);
    if (atGateway == null && listenerPort != null) {
      // A listener waiting for something (an ACM certificate not fetched yet) is left out with a
      // note; there is no first hop to compare until it is served.
      assertThat(plans.get(NodeKey.gateway(mesh.name(), r.gateway())).notes())
          .anySatisfy(n -> assertThat(n).startsWith("listener port " + listenerPort + " is not served yet"));
      return;
    }
    RouteConfiguration router = routerOf(client, r.targetService());

    int compared = 0;
    int matched = 0;
    int reported = 0;
    for (Request req : requests(fullText, r.route())) {
      Optional<Request> hop1 = AppMesh.gatewayHop(r.route(), r.targetService(), req);
      Optional<Result> two = hop1.flatMap(h -> EnvoyRouteEvaluator.route(router, h));
      Optional<Result> one = EnvoyRouteEvaluator.route(atGateway, req);
      compared++;
      if (two.isPresent() && inexpressible.contains(two.get().route())) {
        reported++;
        continue;
      }
      assertThat(one.isPresent()).as("%s: routed in one hop %s, in two hops %s", req, one, two).isEqualTo(two.isPresent());
      if (one.isEmpty()) {
        continue;
      }
      matched++;
      Result o = one.get();
      Result t = two.get();
      assertThat(o.route()).as("%s: router route", req).startsWith(r.awsName() + "/" + t.route());
      assertThat(o.clusters()).as("%s: clusters", req).isEqualTo(t.clusters());
      assertThat(o.path()).as("%s: upstream path", req).isEqualTo(hop1.get().path());
      assertThat(o.authority()).as("%s: upstream host", req).isEqualTo(hop1.get().authority());
    }
    assertThat(compared).isGreaterThan(100);
    assertThat(matched).as("requests that reach a backend (of %s; %s reported not served)", compared, reported)
        .isGreaterThan(0);
  }

  /**
   * The target's virtual host on the client's egress, as a route configuration of its own whose
   * domain is {@code *}: App Mesh's second hop selected it by the {@code Host} its first hop set
   * (or, with the host kept, by {@code x-app-mesh-virtual-service}); its routes then see the host
   * the first hop sent.
   */
  static RouteConfiguration routerOf(XdsResources client, String service) {
    for (RouteConfiguration rc : client.<RouteConfiguration>protos(XdsResources.Type.ROUTE)) {
      for (VirtualHost vh : rc.getVirtualHostsList()) {
        if (vh.getName().equals(service)) {
          return RouteConfiguration.newBuilder().setName(rc.getName())
              .addVirtualHosts(vh.toBuilder().clearDomains().addDomains("*")).build();
        }
      }
    }
    throw new AssertionError("the client has no egress virtual host for " + service);
  }

  /** Requests from the paths, hosts, headers and query parameters the input mentions. */
  static List<Request> requests(String text, GatewayRoute gr) {
    Set<String> paths = new LinkedHashSet<>(List.of("/", "/x", "/api", "/api/x", "/api/v2/y", "/items/42", "/healthz",
        "/helloworld.Greeter/SayHello", "/helloworld.Greeter/Other", "/other.Service/Call", "/grpc.health.v1.Health/Check"));
    Matcher m = java.util.regex.Pattern.compile("(?:prefix|exact|value): (/\\S*)").matcher(text);
    while (m.find()) {
      String p = m.group(1).replace("\"", "");
      for (String tail : List.of("", "x", "/", "/x", "api", "/api", "api/x", "/api/x", "items/12", "/items/12", "version",
          "/version", "ping", "/ping")) {
        paths.add(p + tail);
      }
      if (p.length() > 1 && p.endsWith("/")) {
        // The slash-less forms of a prefix with a trailing slash (App Mesh's twin route serves them).
        String bare = p.substring(0, p.length() - 1);
        for (String tail : List.of("", "x", "x/api", "api")) {
          paths.add(bare + tail);
        }
      }
    }
    paths.add("/shop/items/12");
    List<String> hosts = new ArrayList<>(List.of("gw.example.com", "www.example.com:8080"));
    GatewayRoute.HostnameMatch h = gr.spec().grpcRoute() != null ? gr.spec().grpcRoute().match().hostname()
        : (gr.spec().httpRoute() != null ? gr.spec().httpRoute() : gr.spec().http2Route()).match().hostname();
    if (h != null) {
      String host = h.exact() != null ? h.exact() : "x" + h.suffix();
      hosts.add(host);
      hosts.add(host.toUpperCase(Locale.ROOT) + ":443");
    }
    List<Map<String, String>> headerSets = List.of(
        Map.of(),
        Map.of("user-agent", "curl/8.5.0", "x-canary", "true"),
        Map.of("user-agent", "Mozilla/5.0 (X11) Chrome/126.0"),
        Map.of("x-tenant", "a", "content-type", "application/grpc"),
        Map.of("x-exact", "v1", "x-prefix", "beta-1", "x-suffix", "a.internal", "user-agent", "curl/8", "x-build", "150",
            "x-present", "", "x-region", "us"),
        Map.of("x-debug", "1", "x-canary", "false", "x-region", "eu"));
    List<Request> out = new ArrayList<>();
    for (String path : paths) {
      for (String query : List.of("", "?version=2&debug")) {
        for (String host : hosts) {
          for (Map<String, String> headers : headerSets) {
            for (String method : List.of("GET", "POST")) {
              out.add(new Request(host, method, path + query, headers));
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * App Mesh's first hop, written from the specification and App Mesh's observed gateway routes
   * alone (no gateway module code): does the GatewayRoute match the request, and what request does
   * it forward?
   */
  static final class AppMesh {
    private AppMesh() {}

    static Optional<Request> gatewayHop(GatewayRoute gr, String service, Request req) {
      String host = stripPort(req.authority()).toLowerCase(Locale.ROOT);
      String path = EnvoyRouteEvaluator.pathOnly(req.path());
      String query = req.path().substring(path.length());
      GatewayRoute.Spec s = gr.spec();
      GatewayRoute.HostnameRewrite hostRewrite;
      String newPath = path;
      if (s.grpcRoute() != null) {
        GatewayRoute.GrpcMatch m = s.grpcRoute().match();
        if (!hostname(m.hostname(), host) || m.serviceName() != null && !path.startsWith("/" + m.serviceName() + "/")
            || !headers(m.metadata(), req)) {
          return Optional.empty();
        }
        hostRewrite = s.grpcRoute().action().rewrite() == null ? null : s.grpcRoute().action().rewrite().hostname();
      } else {
        GatewayRoute.HttpGatewayRoute h = s.httpRoute() != null ? s.httpRoute() : s.http2Route();
        GatewayRoute.HttpMatch m = h.match();
        GatewayRoute.HttpRewrite rw = h.action().rewrite();
        GatewayRoute.PrefixRewrite pr = rw == null ? null : rw.prefix();
        // App Mesh's gateway also emitted a prefix "/x/" under the default rewrite as "/x" (its
        // config dump: both routes, in that order, rewriting to "/"); not with a custom value.
        boolean twin = m.prefix() != null && m.prefix().length() > 1 && m.prefix().endsWith("/")
            && (rw == null || rw.path() == null) && (pr == null || pr.value() == null && pr.defaultPrefix() != GatewayRoute.Toggle.DISABLED);
        String matched = m.prefix() == null ? null : path.startsWith(m.prefix()) ? m.prefix()
            : twin && path.startsWith(m.prefix().substring(0, m.prefix().length() - 1))
                ? m.prefix().substring(0, m.prefix().length() - 1) : null;
        if (!hostname(m.hostname(), host)
            || m.prefix() != null && matched == null
            || m.path() != null && m.path().exact() != null && !path.equals(m.path().exact())
            || m.path() != null && m.path().regex() != null && !Pattern.compile(m.path().regex()).matcher(path).matches()
            || m.method() != null && !m.method().name().equals(req.method())
            || !headers(m.headers(), req) || !queries(m.queryParameters(), req)) {
          return Optional.empty();
        }
        hostRewrite = rw == null ? null : rw.hostname();
        if (rw != null && rw.path() != null) {
          newPath = rw.path().exact();
        } else if (m.prefix() != null) {
          String to = pr != null && pr.value() != null ? pr.value()
              : pr != null && pr.defaultPrefix() == GatewayRoute.Toggle.DISABLED ? null : "/";
          String p = matched;
          if (to != null) {
            // The matched prefix becomes the new one; "/chapter/1" -> "/1" (UG: virtual_gateways).
            String rest = path.substring(p.length());
            if (!p.endsWith("/") && rest.startsWith("/")) {
              rest = rest.substring(1);
            }
            newPath = to + rest;
          }
        }
      }
      boolean keepHost = hostRewrite != null && hostRewrite.defaultTargetHostname() == GatewayRoute.Toggle.DISABLED;
      return Optional.of(new Request(keepHost ? req.authority() : service, req.method(), newPath + query, req.headers()));
    }

    static boolean hostname(GatewayRoute.HostnameMatch h, String host) {
      return h == null || (h.exact() != null ? host.equals(h.exact().toLowerCase(Locale.ROOT))
          : host.endsWith(h.suffix().toLowerCase(Locale.ROOT)));
    }

    static boolean headers(List<HeaderMatch> hs, Request req) {
      for (HeaderMatch h : hs) {
        String v = req.header(h.name());
        boolean ok;
        if (v == null) {
          ok = h.match() == null && h.inverted(); // only "not present" matches an absent header
        } else if (h.match() == null) {
          ok = !h.inverted();
        } else {
          var m = h.match();
          boolean hit = m.exact() != null ? v.equals(m.exact())
              : m.prefix() != null ? v.startsWith(m.prefix())
              : m.suffix() != null ? v.endsWith(m.suffix())
              : m.regex() != null ? Pattern.compile(m.regex()).matcher(v).matches()
              : v.matches("[+-]?[0-9]+") && Long.parseLong(v.replace("+", "")) >= m.range().start()
                  && Long.parseLong(v.replace("+", "")) < m.range().end();
          ok = hit != h.inverted();
        }
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    static boolean queries(List<QueryParameterMatch> qs, Request req) {
      Map<String, String> q = EnvoyRouteEvaluator.query(req.path());
      for (QueryParameterMatch p : qs) {
        if (!q.containsKey(p.name()) || p.match() != null && !p.match().exact().equals(q.get(p.name()))) {
          return false;
        }
      }
      return true;
    }

    static String stripPort(String host) {
      int c = host.lastIndexOf(':');
      return c > 0 && host.substring(c + 1).matches("[0-9]+") ? host.substring(0, c) : host;
    }
  }
}
