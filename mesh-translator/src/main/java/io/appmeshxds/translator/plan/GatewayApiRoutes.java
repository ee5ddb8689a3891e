package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.model.ServiceRoutes;
import java.util.ArrayList;
import java.util.List;

/**
 * A VirtualService's Gateway API routes ({@link ServiceRoutes}) as Envoy routes: one route per rule
 * match, in the precedence order the model gave them, weighted to the backends' VirtualNode
 * clusters (always weighted_clusters, so Flagger's weights stay visible), with the rule's header
 * edits and rewrites, its mirrors (each to its backend's VirtualNode cluster), its request timeout,
 * App Mesh's idle timeout and no retry policy (Gateway API's core has no retries). A rule with a
 * redirect forwards nothing: its route answers with the redirect.
 */
public final class GatewayApiRoutes {
  private GatewayApiRoutes() {}

  /** The routes of {@code routes} on {@code port}. */
  public static List<RoutePlan> routes(String mesh, ServiceRoutes routes, long port) {
    List<RoutePlan> out = new ArrayList<>();
    for (ServiceRoutes.Rule r : routes.forPort(port)) {
      out.add(route(mesh, r));
    }
    return out;
  }

  static RoutePlan route(String mesh, ServiceRoutes.Rule r) {
    RoutePlan.PathKind kind = switch (r.pathKind()) {
      case EXACT -> RoutePlan.PathKind.EXACT;
      case REGEX -> RoutePlan.PathKind.REGEX;
      case PREFIX -> RoutePlan.PathKind.PREFIX;
    };
    List<RoutePlan.HeaderCondition> headers = new ArrayList<>();
    for (ServiceRoutes.Condition c : r.headers()) {
      headers.add(c.regex() ? new RoutePlan.HeaderCondition.Regex(c.name(), c.value(), false)
          : new RoutePlan.HeaderCondition.Exact(c.name(), c.value(), false));
    }
    if (r.method() != null) {
      headers.add(Routes.exact(":method", r.method()));
    }
    List<RoutePlan.QueryCondition> queries = new ArrayList<>();
    for (ServiceRoutes.Condition c : r.queryParams()) {
      queries.add(new RoutePlan.QueryCondition(c.name(), c.value(), c.regex()));
    }
    List<WeightedCluster> clusters = new ArrayList<>();
    long total = 0;
    for (ServiceRoutes.Backend b : r.backends()) {
      total += b.weight();
    }
    if (total > 0) {
      for (ServiceRoutes.Backend b : r.backends()) {
        clusters.add(new WeightedCluster(new ClusterId.Backend(mesh, b.node(), b.protocol(), b.port()), b.weight(),
            edits(b.edits())));
      }
    }
    RoutePlan.Rewrite rewrite = r.rewrite() == null ? null
        : new RoutePlan.Rewrite(null, r.rewrite().regexPattern(), r.rewrite().regexSubstitution(), r.rewrite().host(),
            java.util.Map.of());
    List<RoutePlan.Mirror> mirrors = new ArrayList<>();
    for (ServiceRoutes.Mirror m : r.mirrors()) {
      mirrors.add(new RoutePlan.Mirror(new ClusterId.Backend(mesh, m.node(), m.protocol(), m.port()), m.numerator(),
          m.denominator()));
    }
    RoutePlan.Match match = new RoutePlan.Match(kind, r.path(), headers, queries);
    ServiceRoutes.Redirect rd = r.redirect();
    if (rd != null) {
      return new RoutePlan(r.name(), match, new RoutePlan.Action(List.of(), true, null, null, null, null, edits(r.edits()),
          List.of(), new RoutePlan.Redirect(rd.scheme(), rd.host(), rd.port(), rd.fullPath(), rd.regexPattern(),
              rd.regexSubstitution(), rd.statusCode())));
    }
    return new RoutePlan(r.name(), match, new RoutePlan.Action(clusters, true, r.timeoutMs(), Defaults.IDLE_TIMEOUT_MS,
        null, rewrite, edits(r.edits()), mirrors, null));
  }

  private static RoutePlan.HeaderEdits edits(ServiceRoutes.Edits e) {
    if (e == null || e.isEmpty()) {
      return null;
    }
    return new RoutePlan.HeaderEdits(headers(e.requestSet()), headers(e.requestAdd()), e.requestRemove(),
        headers(e.responseSet()), headers(e.responseAdd()), e.responseRemove());
  }

  private static List<RoutePlan.Header> headers(List<ServiceRoutes.Header> in) {
    return in.stream().map(h -> new RoutePlan.Header(h.name(), h.value())).toList();
  }
}
