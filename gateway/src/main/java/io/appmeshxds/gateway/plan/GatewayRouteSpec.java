package io.appmeshxds.gateway.plan;

import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.model.ResolvedGatewayRoute;
import io.appmeshxds.translator.plan.RoutePlan;
import io.appmeshxds.translator.plan.Routes;
import io.appmeshxds.translator.re2.Re2Literal;
import java.util.ArrayList;
import java.util.List;

/**
 * A GatewayRoute in the terms composition needs: its conditions on the original request, its path
 * variants with their rewrites, its host rewrite, and where it sends traffic.
 *
 * @param name the GatewayRoute's App Mesh name
 * @param field {@code spec.httpRoute}, {@code spec.http2Route} or {@code spec.grpcRoute} (for problems)
 * @param priority effective priority (1000 when unset)
 * @param listenerPort {@code match.port}, or null (the gateway's only listener)
 * @param targetService the target virtual service's App Mesh name
 * @param targetPort {@code action.target.port}, or null (the service's only port)
 * @param headers header conditions on the original request: headers or gRPC metadata, {@code :method},
 *     and {@code :authority} for a hostname match
 * @param queries query parameter conditions
 * @param variants path conditions with their rewrites, in evaluation order
 * @param hostRewrite the {@code Host}/{@code :authority} sent upstream (the target's App Mesh name),
 *     or null when the route keeps it ({@code defaultTargetHostname: DISABLED})
 * @param hostname the hostname match, or null (ordering and problems)
 * @param order what orders gateway routes of one listener (see {@link RouteOrder})
 */
record GatewayRouteSpec(
    String name,
    String field,
    long priority,
    Long listenerPort,
    String targetService,
    Long targetPort,
    List<RoutePlan.HeaderCondition> headers,
    List<RoutePlan.QueryCondition> queries,
    List<PathVariant> variants,
    String hostRewrite,
    GatewayRoute.HostnameMatch hostname,
    RouteOrder.Key order) {

  GatewayRouteSpec {
    headers = List.copyOf(headers);
    queries = List.copyOf(queries);
    variants = List.copyOf(variants);
  }

  /** Whether every path variant forwards the path unchanged. */
  boolean pathUnchanged() {
    return variants.stream().allMatch(PathVariant::identity);
  }

  static GatewayRouteSpec of(ResolvedGatewayRoute r) {
    GatewayRoute.Spec s = r.route().spec();
    List<RoutePlan.HeaderCondition> headers = new ArrayList<>();
    List<RoutePlan.QueryCondition> queries = new ArrayList<>();
    List<PathVariant> variants = new ArrayList<>();
    GatewayRoute.HostnameMatch hostname;
    GatewayRoute.HostnameRewrite hostRewrite;
    Long listenerPort;
    Long targetPort;
    String field;
    if (s.grpcRoute() != null) {
      field = "spec.grpcRoute";
      GatewayRoute.GrpcMatch m = s.grpcRoute().match();
      hostname = m.hostname();
      headers.addAll(Routes.headers(m.metadata()));
      // gRPC calls are POST /<service>/<method>; a service name is the prefix /<service>/.
      String prefix = m.serviceName() == null ? "/" : "/" + m.serviceName() + "/";
      variants.add(new PathVariant(RoutePlan.PathKind.PREFIX, prefix, new PathVariant.Identity(), false));
      hostRewrite = s.grpcRoute().action().rewrite() == null ? null : s.grpcRoute().action().rewrite().hostname();
      listenerPort = m.port();
      targetPort = s.grpcRoute().action().target().port();
    } else {
      field = s.httpRoute() != null ? "spec.httpRoute" : "spec.http2Route";
      GatewayRoute.HttpGatewayRoute h = s.httpRoute() != null ? s.httpRoute() : s.http2Route();
      GatewayRoute.HttpMatch m = h.match();
      hostname = m.hostname();
      headers.addAll(Routes.headers(m.headers()));
      if (m.method() != null) {
        headers.add(new RoutePlan.HeaderCondition.Exact(":method", m.method().name(), false));
      }
      queries.addAll(Routes.queries(m.queryParameters()));
      GatewayRoute.HttpRewrite rw = h.action().rewrite();
      variants.addAll(httpVariants(m, rw));
      hostRewrite = rw == null ? null : rw.hostname();
      listenerPort = m.port();
      targetPort = h.action().target().port();
    }
    if (hostname != null) {
      headers.add(new RoutePlan.HeaderCondition.Regex(":authority", authorityPattern(hostname), false));
    }
    headers.sort(Composer.HEADER_ORDER);
    boolean keepHost = hostRewrite != null && hostRewrite.defaultTargetHostname() == GatewayRoute.Toggle.DISABLED;
    return new GatewayRouteSpec(r.awsName(), field, r.priority(), listenerPort, r.targetService(), targetPort, headers,
        queries, variants, keepHost ? null : r.targetService(), hostname, RouteOrder.key(r.route(), r.awsName(), headers, queries));
  }

  /**
   * Path variants of an HTTP gateway route (appmesh-spec §2.6–2.7): a path rewrite replaces the whole
   * path; otherwise a prefix match replaces the matched prefix by {@code /} (App Mesh's default), by
   * {@code rewrite.prefix.value}, or keeps it ({@code defaultPrefix: DISABLED}). A rewritten prefix
   * without a trailing slash gets two variants, {@code <prefix>/} first, so that {@code /chapter/1}
   * becomes {@code /1} (not {@code //1}) and {@code /chapter} becomes {@code /}.
   *
   * <p>A prefix with a trailing slash under the default rewrite ({@code /x/} → {@code /}) gets the
   * same two variants: {@code /x/}, then its twin {@code /x} rewritten to {@code /}, as App Mesh's
   * gateway emitted them (its config dump: {@code /foxpage-server/} and later {@code
   * /foxpage-server}, both {@code prefix_rewrite: "/"}). A custom {@code rewrite.prefix.value} gets
   * no twin (the dump's {@code /hot/} → {@code /hot/} had none); a value of {@code /} counts as
   * custom (the sources are silent; the API tells it apart from the default).
   */
  static List<PathVariant> httpVariants(GatewayRoute.HttpMatch m, GatewayRoute.HttpRewrite rw) {
    String pathRewrite = rw == null || rw.path() == null ? null : rw.path().exact();
    if (m.path() != null) {
      RoutePlan.PathKind kind = m.path().exact() != null ? RoutePlan.PathKind.EXACT : RoutePlan.PathKind.REGEX;
      String path = m.path().exact() != null ? m.path().exact() : m.path().regex();
      return List.of(new PathVariant(kind, path, transform(pathRewrite), false));
    }
    if (m.prefix() == null) {
      // Only a hostname: every path, and no prefix to rewrite.
      return List.of(new PathVariant(RoutePlan.PathKind.PREFIX, "/", transform(pathRewrite), false));
    }
    String p = m.prefix();
    if (pathRewrite != null) {
      return List.of(new PathVariant(RoutePlan.PathKind.PREFIX, p, new PathVariant.Constant(pathRewrite), false));
    }
    GatewayRoute.PrefixRewrite pr = rw == null ? null : rw.prefix();
    boolean defaultRewrite = pr == null || pr.value() == null && pr.defaultPrefix() != GatewayRoute.Toggle.DISABLED;
    String q = pr != null && pr.value() != null ? pr.value()
        : pr != null && pr.defaultPrefix() == GatewayRoute.Toggle.DISABLED ? p : "/";
    if (q.equals(p)) {
      return List.of(new PathVariant(RoutePlan.PathKind.PREFIX, p, new PathVariant.Identity(), false));
    }
    if (p.endsWith("/")) {
      PathVariant slash = new PathVariant(RoutePlan.PathKind.PREFIX, p, new PathVariant.ReplacePrefix(p, q), false);
      if (!defaultRewrite) {
        return List.of(slash);
      }
      String twin = p.substring(0, p.length() - 1);
      return List.of(slash, new PathVariant(RoutePlan.PathKind.PREFIX, twin, new PathVariant.ReplacePrefix(twin, q), true));
    }
    return List.of(
        new PathVariant(RoutePlan.PathKind.PREFIX, p + "/", new PathVariant.ReplacePrefix(p + "/", q), false),
        new PathVariant(RoutePlan.PathKind.PREFIX, p, new PathVariant.ReplacePrefix(p, q), true));
  }

  private static PathVariant.Transform transform(String pathRewrite) {
    return pathRewrite == null ? new PathVariant.Identity() : new PathVariant.Constant(pathRewrite);
  }

  /**
   * The {@code :authority} pattern of a hostname match: the name (case-insensitive, as host names
   * are), then an optional {@code :port}. A suffix may be preceded by any host characters but no
   * colon, so it cannot match into the port.
   */
  static String authorityPattern(GatewayRoute.HostnameMatch h) {
    return h.exact() != null ? "(?i)" + Re2Literal.of(h.exact()) + "(:[0-9]+)?"
        : "(?i)[^:]*" + Re2Literal.of(h.suffix()) + "(:[0-9]+)?";
  }
}
