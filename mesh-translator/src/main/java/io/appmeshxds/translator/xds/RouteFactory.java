package io.appmeshxds.translator.xds;

import com.google.protobuf.BoolValue;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.RouteConfigPlan;
import io.appmeshxds.translator.plan.RoutePlan;
import io.appmeshxds.translator.plan.VirtualHostPlan;
import io.appmeshxds.translator.plan.WeightedCluster;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster.ClusterWeight;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.Int64Range;
import java.util.List;
import java.util.Set;

/**
 * Route configurations. Envoy gets App Mesh's shape; proxyless gRPC clients get what gRPC accepts
 * (gRFC A28/A31/A44): timeouts as {@code max_stream_duration}, only gRPC status retry events, and
 * for old clients header matchers in the deprecated per-kind fields; no request mirrors (gRPC does
 * not mirror) and no route that is not a forwarding route (gRPC NACKs a redirect or a direct
 * response: such a route is left out).
 */
final class RouteFactory {
  private RouteFactory() {}

  private static final Set<String> GRPC_RETRY_ON = Set.of("cancelled", "deadline-exceeded", "internal",
      "resource-exhausted", "unavailable");

  static RouteConfiguration build(RouteConfigPlan plan, Dialect d) {
    return build(plan, vh -> virtualHost(vh, d));
  }

  /** A route configuration whose virtual hosts come from {@code hosts} (a cache: hosts are shared by many configs). */
  static RouteConfiguration build(RouteConfigPlan plan, java.util.function.Function<VirtualHostPlan, VirtualHost> hosts) {
    RouteConfiguration.Builder b = RouteConfiguration.newBuilder().setName(Names.routeConfig(plan.id()));
    for (VirtualHostPlan vh : plan.virtualHosts()) {
      b.addVirtualHosts(hosts.apply(vh));
    }
    return b.build();
  }

  /**
   * A virtual host. For Envoy, a retry policy that every route shares (App Mesh's default retry on
   * every route of a router, typically) is set once on the virtual host instead of on each route;
   * Envoy applies a virtual host's policy to routes without their own, so routing is the same.
   * Why: it is about half of each virtual host's bytes, and a client's egress route configuration
   * carries one virtual host per backend (perf target T9: a route change costs each client one
   * configuration of at most 16 KiB).
   */
  static VirtualHost virtualHost(VirtualHostPlan vh, Dialect d) {
    return virtualHost(vh, d, (r, hoisted) -> route(hoisted ? withoutRetry(r) : r, d));
  }

  /** What builds one route: given its plan and whether its retry policy went to the virtual host. */
  interface Routes {
    Route route(RoutePlan r, boolean retryHoisted);
  }

  /** {@link #virtualHost(VirtualHostPlan, Dialect)} with routes from {@code routes} (a cache). */
  static VirtualHost virtualHost(VirtualHostPlan vh, Dialect d, Routes routes) {
    VirtualHost.Builder b = VirtualHost.newBuilder().setName(vh.name()).addAllDomains(vh.domains());
    RoutePlan.Retry shared = d.proxyless() ? null : sharedRetry(vh.routes());
    RetryPolicy hoisted = shared == null ? null : retry(shared, d);
    if (hoisted != null) {
      b.setRetryPolicy(hoisted);
    }
    for (RoutePlan r : vh.routes()) {
      RoutePlan served = d.proxyless() ? withMethodDecided(r) : r;
      if (served != null) {
        b.addRoutes(routes.route(served, hoisted != null));
      }
    }
    return b.build();
  }

  /**
   * For a gRPC client, a route with its {@code :method} conditions decided (and none for a route
   * without clusters): gRPC matches no
   * pseudo-header (a {@code :method} matcher never matches there) and every gRPC call is a POST,
   * so an exact POST condition always holds (dropped) and an exact other method never does (the
   * route is left out: null). Routes without such a condition are returned as they are.
   */
  static RoutePlan withMethodDecided(RoutePlan r) {
    if (r.action().clusters().isEmpty()) {
      // gRPC NACKs a route with a direct response or a redirect (grpc-java: "unknown action type"):
      // a rule without a valid backend, or with a RequestRedirect, is left out for proxyless
      // clients (its requests fall to the next matching rule; docs/gateway-api.md).
      return null;
    }
    List<RoutePlan.HeaderCondition> hs = r.match().headers();
    boolean any = false;
    for (RoutePlan.HeaderCondition h : hs) {
      if (h.name().equals(":method") && h instanceof RoutePlan.HeaderCondition.Exact e) {
        if (e.value().equals("POST") == e.invert()) {
          return null;
        }
        any = true;
      }
    }
    if (!any) {
      return r;
    }
    List<RoutePlan.HeaderCondition> kept = hs.stream()
        .filter(h -> !(h.name().equals(":method") && h instanceof RoutePlan.HeaderCondition.Exact)).toList();
    RoutePlan.Match m = r.match();
    return new RoutePlan(r.name(), new RoutePlan.Match(m.pathKind(), m.path(), kept, m.queryParameters()), r.action());
  }

  /** The retry of every route when there are two or more routes and all have the same one, else null. */
  private static RoutePlan.Retry sharedRetry(List<RoutePlan> routes) {
    if (routes.size() < 2) {
      return null;
    }
    RoutePlan.Retry first = routes.get(0).action().retry();
    for (RoutePlan r : routes) {
      if (first == null || !first.equals(r.action().retry())) {
        return null;
      }
    }
    return first;
  }

  static RoutePlan withoutRetry(RoutePlan r) {
    RoutePlan.Action a = r.action();
    return new RoutePlan(r.name(), r.match(), a.with(null, a.rewrite()));
  }

  static Route route(RoutePlan r, Dialect d) {
    Route.Builder b = Route.newBuilder().setName(r.name()).setMatch(match(r.match(), d));
    if (r.action().redirect() != null) {
      b.setRedirect(redirect(r.action().redirect()));
    } else if (r.action().clusters().isEmpty()) {
      // Gateway API: a rule whose backends are all invalid (or all weight 0) answers 500.
      b.setDirectResponse(DirectResponseAction.newBuilder().setStatus(500));
    } else {
      b.setRoute(action(r.action(), d));
    }
    b.addAllRequestHeadersToAdd(r.action().rewrite() == null ? List.of() : headersToAdd(r.action().rewrite()));
    RoutePlan.HeaderEdits e = r.action().headers();
    if (e != null) {
      b.addAllRequestHeadersToAdd(edits(e.requestSet(), e.requestAdd())).addAllRequestHeadersToRemove(e.requestRemove())
          .addAllResponseHeadersToAdd(edits(e.responseSet(), e.responseAdd()))
          .addAllResponseHeadersToRemove(e.responseRemove());
    }
    return b.build();
  }

  /**
   * A redirect. Its path: {@code path_redirect} for a whole new path (the request's query string is
   * kept), else {@code regex_rewrite} of the path (ReplacePrefixMatch).
   */
  static RedirectAction redirect(RoutePlan.Redirect r) {
    RedirectAction.Builder b = RedirectAction.newBuilder().setResponseCode(switch (r.statusCode()) {
      case 301 -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
      case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
      case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
      case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
      default -> RedirectAction.RedirectResponseCode.FOUND;
    });
    if (r.scheme() != null) {
      b.setSchemeRedirect(r.scheme());
    }
    if (r.host() != null) {
      b.setHostRedirect(r.host());
    }
    if (r.port() != null) {
      b.setPortRedirect(r.port().intValue());
    }
    if (r.fullPath() != null) {
      b.setPathRedirect(r.fullPath());
    } else if (r.regexPattern() != null) {
      b.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
          .setPattern(RegexMatcher.newBuilder().setRegex(r.regexPattern()))
          .setSubstitution(r.regexSubstitution()));
    }
    return b.build();
  }

  /** A request mirror; every request when it says all, else a fraction (no runtime key: not adjustable at run time). */
  static RouteAction.RequestMirrorPolicy mirror(RoutePlan.Mirror m) {
    RouteAction.RequestMirrorPolicy.Builder b = RouteAction.RequestMirrorPolicy.newBuilder()
        .setCluster(Names.cluster(m.cluster()));
    if (!m.all()) {
      FractionalPercent.DenominatorType den = m.denominator() == 100 ? FractionalPercent.DenominatorType.HUNDRED
          : m.denominator() == 10_000 ? FractionalPercent.DenominatorType.TEN_THOUSAND
          : FractionalPercent.DenominatorType.MILLION;
      b.setRuntimeFraction(RuntimeFractionalPercent.newBuilder().setDefaultValue(FractionalPercent.newBuilder()
          .setNumerator((int) m.numerator()).setDenominator(den)));
    }
    return b.build();
  }

  /** Set (overwrite) and add (append) header edits as Envoy header options, in that order. */
  static List<HeaderValueOption> edits(List<RoutePlan.Header> set, List<RoutePlan.Header> add) {
    List<HeaderValueOption> out = new java.util.ArrayList<>();
    for (RoutePlan.Header h : set) {
      out.add(HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(h.name()).setValue(h.value()))
          .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD).build());
    }
    for (RoutePlan.Header h : add) {
      out.add(HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(h.name()).setValue(h.value()))
          .setAppendAction(HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD).build());
    }
    return out;
  }

  private static List<HeaderValueOption> headersToAdd(RoutePlan.Rewrite rw) {
    return rw.requestHeadersToAdd().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
        .map(e -> HeaderValueOption.newBuilder()
            .setHeader(HeaderValue.newBuilder().setKey(e.getKey()).setValue(e.getValue()))
            .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD).build())
        .toList();
  }

  static RouteMatch match(RoutePlan.Match m, Dialect d) {
    RouteMatch.Builder b = RouteMatch.newBuilder().setCaseSensitive(BoolValue.of(true));
    switch (m.pathKind()) {
      case PREFIX -> b.setPrefix(m.path());
      case EXACT -> b.setPath(m.path());
      case REGEX -> b.setSafeRegex(RegexMatcher.newBuilder().setRegex(m.path()));
    }
    for (RoutePlan.HeaderCondition h : m.headers()) {
      b.addHeaders(header(h, d));
    }
    for (RoutePlan.QueryCondition q : m.queryParameters()) {
      QueryParameterMatcher.Builder qb = QueryParameterMatcher.newBuilder().setName(q.name());
      if (q.exact() == null) {
        qb.setPresentMatch(true);
      } else if (q.isRegex()) {
        qb.setStringMatch(StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(q.exact())));
      } else {
        qb.setStringMatch(StringMatcher.newBuilder().setExact(q.exact()));
      }
      b.addQueryParameters(qb);
    }
    return b.build();
  }

  static HeaderMatcher header(RoutePlan.HeaderCondition h, Dialect d) {
    HeaderMatcher.Builder b = HeaderMatcher.newBuilder().setName(h.name()).setInvertMatch(h.invert());
    boolean legacy = d == Dialect.GRPC_LEGACY;
    return h.match(new RoutePlan.HeaderCondition.Cases<HeaderMatcher>() {
      @Override
      public HeaderMatcher present(RoutePlan.HeaderCondition.Present c) {
        return b.setPresentMatch(true).build();
      }

      @Override
      public HeaderMatcher exact(RoutePlan.HeaderCondition.Exact c) {
        return (legacy ? b.setExactMatch(c.value()) : b.setStringMatch(StringMatcher.newBuilder().setExact(c.value())))
            .build();
      }

      @Override
      public HeaderMatcher prefix(RoutePlan.HeaderCondition.Prefix c) {
        return (legacy ? b.setPrefixMatch(c.value()) : b.setStringMatch(StringMatcher.newBuilder().setPrefix(c.value())))
            .build();
      }

      @Override
      public HeaderMatcher suffix(RoutePlan.HeaderCondition.Suffix c) {
        return (legacy ? b.setSuffixMatch(c.value()) : b.setStringMatch(StringMatcher.newBuilder().setSuffix(c.value())))
            .build();
      }

      @Override
      public HeaderMatcher regex(RoutePlan.HeaderCondition.Regex c) {
        RegexMatcher re = RegexMatcher.newBuilder().setRegex(c.value()).build();
        return (legacy ? b.setSafeRegexMatch(re) : b.setStringMatch(StringMatcher.newBuilder().setSafeRegex(re))).build();
      }

      @Override
      public HeaderMatcher range(RoutePlan.HeaderCondition.Range c) {
        return b.setRangeMatch(Int64Range.newBuilder().setStart(c.start()).setEnd(c.end())).build();
      }
    });
  }

  static RouteAction action(RoutePlan.Action a, Dialect d) {
    RouteAction.Builder b = RouteAction.newBuilder();
    if (!a.weighted() && a.clusters().size() == 1) {
      b.setCluster(Names.cluster(a.clusters().get(0).cluster()));
    } else {
      io.envoyproxy.envoy.config.route.v3.WeightedCluster.Builder w = io.envoyproxy.envoy.config.route.v3.WeightedCluster.newBuilder();
      for (WeightedCluster c : a.clusters()) {
        ClusterWeight.Builder cw = ClusterWeight.newBuilder().setName(Names.cluster(c.cluster()))
            .setWeight(Protos.u32((int) c.weight()));
        RoutePlan.HeaderEdits e = c.headers();
        if (e != null) {
          cw.addAllRequestHeadersToAdd(edits(e.requestSet(), e.requestAdd())).addAllRequestHeadersToRemove(e.requestRemove())
              .addAllResponseHeadersToAdd(edits(e.responseSet(), e.responseAdd()))
              .addAllResponseHeadersToRemove(e.responseRemove());
        }
        w.addClusters(cw);
      }
      b.setWeightedClusters(w);
    }
    if (d.proxyless()) {
      if (a.timeoutMs() != null && a.timeoutMs() > 0) {
        b.setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder().setMaxStreamDuration(Protos.millis(a.timeoutMs())));
      }
    } else {
      if (a.timeoutMs() != null) {
        b.setTimeout(Protos.millis(a.timeoutMs()));
      }
      if (a.idleTimeoutMs() != null) {
        b.setIdleTimeout(Protos.millis(a.idleTimeoutMs()));
      }
    }
    if (!d.proxyless()) {
      for (RoutePlan.Mirror m : a.mirrors()) {
        b.addRequestMirrorPolicies(mirror(m));
      }
    }
    if (a.retry() != null) {
      RetryPolicy rp = retry(a.retry(), d);
      if (rp != null) {
        b.setRetryPolicy(rp);
      }
    }
    RoutePlan.Rewrite rw = a.rewrite();
    if (rw != null) {
      if (rw.prefix() != null) {
        b.setPrefixRewrite(rw.prefix());
      }
      if (rw.regexPattern() != null) {
        b.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
            .setPattern(RegexMatcher.newBuilder().setRegex(rw.regexPattern()))
            .setSubstitution(rw.regexSubstitution()));
      }
      if (rw.hostLiteral() != null) {
        b.setHostRewriteLiteral(rw.hostLiteral());
      }
    }
    return b.build();
  }

  static RetryPolicy retry(RoutePlan.Retry r, Dialect d) {
    List<String> on = d.proxyless() ? r.retryOn().stream().filter(GRPC_RETRY_ON::contains).toList() : r.retryOn();
    if (on.isEmpty()) {
      return null;
    }
    RetryPolicy.Builder b = RetryPolicy.newBuilder()
        .setRetryOn(String.join(",", on))
        .setNumRetries(Protos.u32((int) r.numRetries()));
    if (r.perTryTimeoutMs() != null && r.perTryTimeoutMs() > 0) {
      b.setPerTryTimeout(Protos.millis(r.perTryTimeoutMs()));
    }
    if (!d.proxyless()) {
      if (on.contains("retriable-status-codes")) {
        r.retriableStatusCodes().forEach(b::addRetriableStatusCodes);
      }
      if (r.previousHosts()) {
        b.addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                .setName("envoy.retry_host_predicates.previous_hosts")
                .setTypedConfig(Protos.pack(PreviousHostsPredicate.getDefaultInstance())))
            .setHostSelectionRetryMaxAttempts(5);
      }
    }
    return b.build();
  }
}
