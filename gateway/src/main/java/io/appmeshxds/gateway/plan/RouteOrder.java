package io.appmeshxds.gateway.plan;

import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.plan.RoutePlan;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which the gateway routes of one listener are evaluated (Envoy takes the first route
 * that matches), most specific first:
 *
 * <ol>
 *   <li>{@code priority} ascending (0 first; unset is 1000);
 *   <li>hostname: an exact hostname, then suffixes (longer first), then routes without a hostname;
 *   <li>path: an exact path, then a path regex, then prefixes, longer prefix first (App Mesh's
 *       "longest prefix" rule); a gRPC service name counts as the prefix {@code /<service>/}, a
 *       route with no path condition as the prefix {@code /}; exact paths also longer first;
 *   <li>more conditions first (headers or metadata, method, query parameters);
 *   <li>App Mesh name, so the order is total and stable.
 * </ol>
 *
 * The router routes composed into one gateway route keep the router's own order.
 */
final class RouteOrder {
  private RouteOrder() {}

  /** What orders a gateway route; see the class comment. */
  record Key(long priority, int hostRank, int hostLength, int pathRank, int pathLength, int conditions, String name) {}

  static final Comparator<GatewayRouteSpec> ORDER = Comparator.comparing(GatewayRouteSpec::order,
      Comparator.comparingLong(Key::priority)
          .thenComparingInt(Key::hostRank)
          .thenComparing(Comparator.comparingInt(Key::hostLength).reversed())
          .thenComparingInt(Key::pathRank)
          .thenComparing(Comparator.comparingInt(Key::pathLength).reversed())
          .thenComparing(Comparator.comparingInt(Key::conditions).reversed())
          .thenComparing(Key::name));

  static Key key(GatewayRoute gr, String awsName, List<RoutePlan.HeaderCondition> headers,
      List<RoutePlan.QueryCondition> queries) {
    GatewayRoute.Spec s = gr.spec();
    long priority = s.priority() == null ? GatewayRoute.DEFAULT_PRIORITY : s.priority();
    GatewayRoute.HostnameMatch host;
    int pathRank;
    int pathLength;
    if (s.grpcRoute() != null) {
      var m = s.grpcRoute().match();
      host = m.hostname();
      pathRank = 2;
      pathLength = m.serviceName() == null ? 1 : m.serviceName().length() + 2;
    } else {
      var m = (s.httpRoute() != null ? s.httpRoute() : s.http2Route()).match();
      host = m.hostname();
      if (m.path() != null && m.path().exact() != null) {
        pathRank = 0;
        pathLength = m.path().exact().length();
      } else if (m.path() != null) {
        pathRank = 1;
        pathLength = 0;
      } else {
        pathRank = 2;
        pathLength = m.prefix() == null ? 1 : m.prefix().length();
      }
    }
    int hostRank = host == null ? 2 : host.exact() != null ? 0 : 1;
    int hostLength = host == null ? 0 : host.exact() != null ? host.exact().length() : host.suffix().length();
    int conditions = (int) headers.stream().filter(h -> !h.name().equals(":authority")).count() + queries.size();
    return new Key(priority, hostRank, hostLength, pathRank, pathLength, conditions, awsName);
  }
}
