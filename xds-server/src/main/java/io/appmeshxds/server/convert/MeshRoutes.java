package io.appmeshxds.server.convert;

import io.appmeshxds.translator.api.HttpTimeout;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.model.ResolvedRouter;
import io.appmeshxds.translator.model.ResolvedService;
import io.appmeshxds.translator.plan.Routes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * East-west (GAMMA): a VirtualService backed by a VirtualRouter becomes an HTTPRoute or GRPCRoute
 * per router listener port whose parentRef is the Service of that VirtualService; the router's
 * routes, in the model's evaluation order (priority, then spec order), become its rules.
 */
final class MeshRoutes {
  private MeshRoutes() {}

  static void service(GatewayApiConverter c, MeshGraph g, ResolvedService vs) {
    String vsObj = GatewayApiConverter.label(vs.ref());
    if (vs.provider() instanceof ResolvedService.NodeProvider np) {
      c.report.exact(vsObj, "spec.provider.virtualNode", "nothing to convert: plain Service (provided by VirtualNode "
          + np.node() + "; callers reach its Service directly)");
      return;
    }
    if (!(vs.provider() instanceof ResolvedService.RouterProvider rp)) {
      c.report.dropped(vsObj, "spec.provider", "no provider: App Mesh served nothing for it; nothing to convert");
      return;
    }
    ResolvedRouter router = g.routers().get(rp.router());
    if (router == null) {
      return;
    }
    String[] parent = c.serviceOfVirtualService(vs, "spec.awsName");
    String rObj = GatewayApiConverter.label(router.ref());
    List<VirtualRouter.RouterListener> listeners = router.router().spec().listeners();
    for (VirtualRouter.RouterListener l : listeners) {
      long port = l.portMapping().port();
      List<ResolvedRouter.Route> http = new ArrayList<>();
      List<ResolvedRouter.Route> grpc = new ArrayList<>();
      for (ResolvedRouter.Route r : router.routesForPort(port)) {
        if (r.spec().tcpRoute() != null) {
          c.report.dropped(rObj, field(router, r), "tcpRoute: TCPRoute is not in Gateway API's standard channel; "
              + "a plain Service with the target's pods carries TCP traffic");
        } else if (r.spec().grpcRoute() != null) {
          grpc.add(r);
        } else {
          http.add(r);
        }
      }
      String name = listeners.size() == 1 ? vs.ref().name() : vs.ref().name() + "-" + port;
      if (!http.isEmpty()) {
        emitRoute(c, g, router, parent, name, listeners.size() > 1 ? port : null, false, http);
      }
      if (!grpc.isEmpty()) {
        emitRoute(c, g, router, parent, name, listeners.size() > 1 ? port : null, true, grpc);
      }
    }
  }

  private static void emitRoute(GatewayApiConverter c, MeshGraph g, ResolvedRouter router, String[] parent, String name,
      Long port, boolean grpc, List<ResolvedRouter.Route> routes) {
    String rObj = GatewayApiConverter.label(router.ref());
    String kind = grpc ? "GRPCRoute" : "HTTPRoute";
    Map<String, Object> doc = GatewayApiConverter.object(GatewayApiConverter.V1, kind, parent[0], name, rObj);
    Map<String, Object> parentRef = new LinkedHashMap<>();
    parentRef.put("group", "");
    parentRef.put("kind", "Service");
    parentRef.put("name", parent[1]);
    if (port != null) {
      parentRef.put("port", port);
    }
    List<Map<String, Object>> rules = new ArrayList<>();
    List<Rank> ranks = new ArrayList<>();
    for (ResolvedRouter.Route r : routes) {
      rules.add(grpc ? grpcRule(c, g, router, r, parent[0], ranks) : httpRule(c, g, router, r, parent[0], ranks));
    }
    order(c, router, ranks, kind + " " + parent[0] + "/" + name);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("parentRefs", List.of(parentRef));
    spec.put("rules", rules);
    doc.put("spec", spec);
    c.emit(doc, rObj);
  }

  static String field(ResolvedRouter router, ResolvedRouter.Route r) {
    List<VirtualRouter.Route> spec = router.router().spec().routes();
    int i = 0;
    while (i < spec.size() && !spec.get(i).name().equals(r.name())) {
      i++;
    }
    return "spec.routes[" + i + "]";
  }

  /**
   * What orders a rule under Gateway API's precedence (exact path, longest prefix, method, most
   * headers, most query parameters; gRPC: most specific method match, most headers). Null for a
   * regex path, whose place Gateway API leaves to the implementation.
   */
  record Rank(int pathRank, int pathLength, int method, int headers, int queries) {}

  private static final Comparator<Rank> PRECEDENCE = Comparator.comparingInt(Rank::pathRank)
      .thenComparing(Comparator.comparingInt(Rank::pathLength).reversed())
      .thenComparing(Comparator.comparingInt(Rank::method).reversed())
      .thenComparing(Comparator.comparingInt(Rank::headers).reversed())
      .thenComparing(Comparator.comparingInt(Rank::queries).reversed());

  /**
   * Gateway API picks the most specific match, not the first in a list; App Mesh takes routes by
   * priority. When a stable sort by Gateway API's precedence keeps App Mesh's order, the two agree.
   */
  private static void order(GatewayApiConverter c, ResolvedRouter router, List<Rank> ranks, String out) {
    String obj = GatewayApiConverter.label(router.ref());
    if (ranks.size() < 2) {
      return;
    }
    if (ranks.contains(null)) {
      c.report.approximated(obj, "spec.routes", "route order: a regex path's precedence is implementation-specific in "
          + "Gateway API; App Mesh took routes by priority (" + out + ")");
      return;
    }
    List<Rank> sorted = new ArrayList<>(ranks);
    sorted.sort(PRECEDENCE);
    if (sorted.equals(ranks)) {
      c.report.exact(obj, "spec.routes", "route order: Gateway API's match precedence keeps App Mesh's priority order (" + out + ")");
    } else {
      c.report.approximated(obj, "spec.routes", "route order: Gateway API picks the most specific match (exact path, "
          + "longest prefix, method, most headers, most query parameters), not the highest priority; in " + out
          + " a more specific rule now wins over a higher-priority one: check the rules that overlap");
    }
  }

  private static Map<String, Object> httpRule(GatewayApiConverter c, MeshGraph g, ResolvedRouter router, ResolvedRouter.Route r,
      String ns, List<Rank> ranks) {
    VirtualRouter.Route spec = r.spec();
    String typeKey = spec.http2Route() != null ? "http2Route" : "httpRoute";
    VirtualRouter.HttpRoute h = spec.http2Route() != null ? spec.http2Route() : spec.httpRoute();
    String obj = GatewayApiConverter.label(router.ref());
    String f = field(router, r) + "." + typeKey;
    Matches.At at = new Matches.At(c.report, obj, f + ".match");
    VirtualRouter.HttpRouteMatch m = h.match();
    Map<String, Object> match = Matches.httpMatch(m.prefix(), m.path(), m.headers(), m.queryParameters(), m.method(), at);
    @SuppressWarnings("unchecked")
    Map<String, Object> path = (Map<String, Object>) match.get("path");
    if (m.scheme() != null) {
      c.report.dropped(obj, f + ".match.scheme", "Gateway API has no scheme match; the rule matches both schemes");
    }
    String type = (String) path.get("type");
    ranks.add(type.equals("RegularExpression") ? null : new Rank(type.equals("Exact") ? 0 : 1,
        ((String) path.get("value")).length(), match.containsKey("method") ? 1 : 0, size(match.get("headers")),
        size(match.get("queryParams"))));
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("matches", List.of(match));
    rule.put("backendRefs", backends(c, g, r, ns, "HTTPRoute", obj, f + ".action.weightedTargets"));
    rule.put("timeouts", GatewayApiConverter.map("request", timeout(c, h.timeout(), obj, f + ".timeout")));
    if (h.retryPolicy() != null) {
      c.report.dropped(obj, f + ".retryPolicy", "no core Gateway API field (HTTPRoute retry is experimental, GEP-1731, "
          + "and has no retry events or per-try timeout)");
    } else {
      defaultRetryDropped(c, obj, f);
    }
    return rule;
  }

  private static Map<String, Object> grpcRule(GatewayApiConverter c, MeshGraph g, ResolvedRouter router, ResolvedRouter.Route r,
      String ns, List<Rank> ranks) {
    VirtualRouter.GrpcRoute gr = r.spec().grpcRoute();
    String obj = GatewayApiConverter.label(router.ref());
    String f = field(router, r) + ".grpcRoute";
    Matches.At at = new Matches.At(c.report, obj, f + ".match");
    VirtualRouter.GrpcRouteMatch m = gr.match();
    Map<String, Object> match = new LinkedHashMap<>();
    if (m.serviceName() != null) {
      Map<String, Object> method = new LinkedHashMap<>();
      method.put("type", "Exact");
      method.put("service", m.serviceName());
      if (m.methodName() != null) {
        method.put("method", m.methodName());
      }
      match.put("method", method);
      c.report.exact(obj, f + ".match.serviceName", "method: {type: Exact, service"
          + (m.methodName() != null ? ", method}" : "}"));
    }
    List<Map<String, Object>> headers = Matches.headers(m.metadata(), at, "metadata");
    if (!headers.isEmpty()) {
      match.put("headers", headers);
    }
    ranks.add(new Rank(m.serviceName() != null && m.methodName() != null ? 0 : 1, m.serviceName() == null ? 0 : 1, 0,
        headers.size(), 0));
    Map<String, Object> rule = new LinkedHashMap<>();
    if (!match.isEmpty()) {
      rule.put("matches", List.of(match));
    }
    rule.put("backendRefs", backends(c, g, r, ns, "GRPCRoute", obj, f + ".action.weightedTargets"));
    if (gr.timeout() != null) {
      c.report.dropped(obj, f + ".timeout", "GRPCRoute has no timeouts field in Gateway API v1; App Mesh's request timeout ("
          + Routes.requestTimeout(gr.timeout()) + " ms) is not carried");
    }
    if (gr.retryPolicy() != null) {
      c.report.dropped(obj, f + ".retryPolicy", "no core Gateway API field (GRPCRoute has no retry)");
    } else {
      defaultRetryDropped(c, obj, f);
    }
    return rule;
  }

  private static List<Map<String, Object>> backends(GatewayApiConverter c, MeshGraph g, ResolvedRouter.Route r, String ns,
      String kind, String obj, String field) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<VirtualRouter.WeightedTarget> spec = r.spec().grpcRoute() != null ? r.spec().grpcRoute().action().weightedTargets()
        : r.spec().http2Route() != null ? r.spec().http2Route().action().weightedTargets()
        : r.spec().httpRoute().action().weightedTargets();
    for (int i = 0; i < r.targets().size(); i++) {
      ResolvedRouter.Target t = r.targets().get(i);
      ResolvedNode n = g.nodes().get(t.node());
      int index = i < spec.size() ? i : spec.size() - 1;
      Map<String, Object> ref = n == null ? null
          : c.nodeBackend(n, t.port(), t.weight(), ns, kind, obj, field + "[" + index + "]");
      if (ref != null) {
        out.add(ref);
      }
    }
    return out;
  }

  /**
   * A route without a retryPolicy still retried on App Mesh: every such route got App Mesh's default
   * policy ({@link io.appmeshxds.translator.plan.Defaults#defaultRetry()}). Gateway API's core has no
   * retry field, and a converted rule is served without retries (docs/gateway-api.md), so that
   * default is lost too: reported, not silently left out (ConvertServesIdenticallyTest found it).
   */
  private static void defaultRetryDropped(GatewayApiConverter c, String obj, String f) {
    c.report.dropped(obj, f + ".retryPolicy", "unset, so App Mesh retried with its default policy (up to 2 retries on "
        + "connection failure, reset, refused stream, gRPC unavailable and HTTP 503); Gateway API's core has no retry "
        + "field and the converted rule has no retries");
  }

  /** The route's request timeout as a Gateway API duration; App Mesh's 15 s default is written out. */
  private static String timeout(GatewayApiConverter c, HttpTimeout t, String obj, String field) {
    long ms = Routes.requestTimeout(t);
    if (t != null && t.perRequest() != null) {
      c.report.exact(obj, field + ".perRequest", "timeouts.request: " + duration(ms));
    }
    if (t != null && t.idle() != null) {
      c.report.dropped(obj, field + ".idle", "no core Gateway API field for an idle timeout");
    }
    return duration(ms);
  }

  /** Gateway API duration: {@code 15s}, {@code 500ms}; {@code 0s} disables, as App Mesh's 0 did. */
  static String duration(long ms) {
    long s = ms / 1000;
    long rest = ms % 1000;
    return rest == 0 ? s + "s" : (s > 0 ? s + "s" : "") + rest + "ms";
  }

  private static int size(Object list) {
    return list == null ? 0 : ((List<?>) list).size();
  }
}
