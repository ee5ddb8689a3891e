package io.appmeshxds.gateway.plan;

import io.appmeshxds.translator.plan.RoutePlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Composes a gateway route with the routes of its target (a router's routes on the target port, in
 * the router's order, or the single route to a node) into Envoy routes evaluated in one hop.
 *
 * <p>For each target route, for each path variant of the gateway route, the composed route matches
 * exactly the requests that the gateway route matches and that, once the gateway has rewritten
 * them, the target route matches: the target's path condition is translated back onto the original
 * path; header, method and query conditions are ANDed (a target condition on the host is decided
 * here when the gateway rewrites the host to a literal). The action is the target route's (clusters
 * and weights, retries, timeouts) plus the gateway's rewrites. What cannot be expressed exactly as
 * one Envoy route is dropped with a reason.
 */
final class Composer {
  private Composer() {}

  /** Stable order of header conditions (App Mesh ANDs them, so order carries no meaning). */
  static final Comparator<RoutePlan.HeaderCondition> HEADER_ORDER = Comparator.comparing(RoutePlan.HeaderCondition::name)
      .thenComparingInt(h -> h.sortKey().kind())
      .thenComparing(h -> h.sortKey().value())
      .thenComparing(h -> h.sortKey().start())
      .thenComparing(h -> h.sortKey().end())
      .thenComparing(RoutePlan.HeaderCondition::invert);

  /**
   * The composed routes, in evaluation order, and for each target route that yields none, why.
   *
   * @param routes composed Envoy routes
   * @param dropped {@code <target route>: <reason>} for every target route that composes under no
   *     path variant
   */
  record Composition(List<RoutePlan> routes, List<String> dropped) {
    Composition {
      routes = List.copyOf(routes);
      dropped = List.copyOf(dropped);
    }
  }

  static Composition compose(GatewayRouteSpec g, List<RoutePlan> targets) {
    List<RoutePlan> out = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    // Why: after a path rewrite to a constant, several target routes can compose to the same match;
    // only the first is reachable (as in the router), so the others are left out.
    Set<RoutePlan.Match> seen = new java.util.HashSet<>();
    for (RoutePlan t : targets) {
      String redirectNever = redirectNever(g, t.action().redirect());
      if (redirectNever != null) {
        dropped.add(describe(t) + ": " + redirectNever);
        continue;
      }
      HeaderResult hr = headers(g, t.match());
      if (hr.never() != null) {
        dropped.add(describe(t) + ": " + hr.never());
        continue;
      }
      Set<String> why = new LinkedHashSet<>();
      boolean any = false;
      for (PathVariant v : g.variants()) {
        PathResult p = path(v, t.match());
        if (p instanceof Never n) {
          why.add(n.reason());
        } else if (p instanceof Ok ok) {
          any = true; // composes (possibly shadowed by an earlier composed route with the same match)
          List<RoutePlan.HeaderCondition> hs = new ArrayList<>(hr.headers());
          hs.addAll(ok.extraHeaders());
          hs.sort(HEADER_ORDER);
          RoutePlan.Match match = new RoutePlan.Match(ok.kind(), ok.path(), hs, hr.queries());
          if (!seen.add(match)) {
            continue;
          }
          RoutePlan.Rewrite rw = ok.prefixRewrite() == null && ok.regexPattern() == null && g.hostRewrite() == null ? null
              : new RoutePlan.Rewrite(ok.prefixRewrite(), ok.regexPattern(), ok.regexSubstitution(), g.hostRewrite(), Map.of());
          RoutePlan.Action a = t.action();
          out.add(new RoutePlan(g.name() + "/" + t.name() + (v.slashless() ? "/without-slash" : ""), match,
              a.with(a.retry(), a.redirect() == null ? rw : null)));
        }
      }
      if (!any) {
        dropped.add(describe(t) + ": " + String.join("; ", why));
      }
    }
    return new Composition(out, dropped);
  }

  /**
   * Why a target route's redirect (a Gateway API RequestRedirect) cannot be answered by the
   * gateway's composed route, or null when it can (or there is none): the target computes its
   * redirect from the request the gateway rewrote, while the composed route sees the request as it
   * came; the two agree when the redirect replaces what the gateway rewrites (host, path) or the
   * gateway keeps it.
   */
  static String redirectNever(GatewayRouteSpec g, RoutePlan.Redirect r) {
    if (r == null) {
      return null;
    }
    if (r.host() == null && g.hostRewrite() != null) {
      return "its redirect keeps the host, which the gateway rewrites to " + g.hostRewrite() + "; one Envoy route cannot"
          + " redirect to the rewritten host";
    }
    if (r.fullPath() == null && !g.pathUnchanged()) {
      return "its redirect keeps or edits the path, which the gateway rewrites; one Envoy route cannot redirect to the"
          + " rewritten path";
    }
    return null;
  }

  static String describe(RoutePlan t) {
    return "route " + t.name() + " (" + pathWords(t.match().pathKind(), t.match().path()) + ")";
  }

  static String pathWords(RoutePlan.PathKind kind, String path) {
    return switch (kind) {
      case PREFIX -> "prefix " + path;
      case EXACT -> "path " + path;
      case REGEX -> "path regex " + path;
    };
  }

  // ---- paths ----

  sealed interface PathResult permits Ok, Never, Covered {}

  /** A composed path condition on the original path, its rewrite, and header conditions it needs. */
  record Ok(RoutePlan.PathKind kind, String path, String prefixRewrite, String regexPattern, String regexSubstitution,
      List<RoutePlan.HeaderCondition> extraHeaders) implements PathResult {
    static Ok of(RoutePlan.PathKind kind, String path) {
      return new Ok(kind, path, null, null, null, List.of());
    }
  }

  /** The target's path condition never holds after this variant's rewrite. */
  record Never(String reason) implements PathResult {}

  /** Only requests another variant of the same gateway route serves could match (no loss). */
  record Covered() implements PathResult {}

  /**
   * Translates the target's path condition {@code h} onto the original path under variant {@code v}.
   * Envoy semantics used: {@code prefix_rewrite} replaces the matched prefix, or the whole path for
   * {@code path} and {@code safe_regex} matches; {@code regex_rewrite} {@code ^.*$} replaces the whole
   * path; both keep the query string.
   */
  static PathResult path(PathVariant v, RoutePlan.Match h) {
    String hp = h.path();
    if (v.transform() instanceof PathVariant.Constant c) {
      if (!Conditions.acceptsPath(h.pathKind(), hp, c.path())) {
        return new Never("the gateway rewrites the path to " + c.path() + ", which its " + pathWords(h.pathKind(), hp)
            + " does not match");
      }
      return v.kind() == RoutePlan.PathKind.PREFIX
          ? new Ok(v.kind(), v.path(), null, "^.*$", c.path(), List.of())
          : new Ok(v.kind(), v.path(), c.path(), null, null, List.of());
    }
    if (v.transform() instanceof PathVariant.ReplacePrefix r) {
      return replacePrefix(v, r, h);
    }
    return identity(v, h);
  }

  private static PathResult identity(PathVariant v, RoutePlan.Match h) {
    String g = v.path();
    String hp = h.path();
    switch (v.kind()) {
      case EXACT -> {
        return Conditions.acceptsPath(h.pathKind(), hp, g) ? Ok.of(RoutePlan.PathKind.EXACT, g)
            : new Never("the gateway's path " + g + " never matches its " + pathWords(h.pathKind(), hp));
      }
      case PREFIX -> {
        switch (h.pathKind()) {
          case PREFIX -> {
            if (hp.startsWith(g)) {
              return Ok.of(RoutePlan.PathKind.PREFIX, hp);
            }
            if (g.startsWith(hp)) {
              return Ok.of(RoutePlan.PathKind.PREFIX, g);
            }
            return new Never("no path starts with both the gateway's prefix " + g + " and its prefix " + hp);
          }
          case EXACT -> {
            return hp.startsWith(g) ? Ok.of(RoutePlan.PathKind.EXACT, hp)
                : new Never("its path " + hp + " does not start with the gateway's prefix " + g);
          }
          case REGEX -> {
            // Every path starts with "/"; any other prefix is kept as a :path condition.
            return g.equals("/") ? Ok.of(RoutePlan.PathKind.REGEX, hp)
                : new Ok(RoutePlan.PathKind.REGEX, hp, null, null, null, List.of(pathPrefix(g)));
          }
        }
      }
      case REGEX -> {
        switch (h.pathKind()) {
          case PREFIX -> {
            return hp.equals("/") ? Ok.of(RoutePlan.PathKind.REGEX, g)
                : new Ok(RoutePlan.PathKind.REGEX, g, null, null, null, List.of(pathPrefix(hp)));
          }
          case EXACT -> {
            return Conditions.fullMatch(g, hp) ? Ok.of(RoutePlan.PathKind.EXACT, hp)
                : new Never("its path " + hp + " does not match the gateway's path regex " + g);
          }
          case REGEX -> {
            return g.equals(hp) ? Ok.of(RoutePlan.PathKind.REGEX, g)
                : new Never("the gateway's path regex " + g + " and its path regex " + hp
                    + " cannot be combined into one Envoy route (RE2 has no intersection)");
          }
        }
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private static PathResult replacePrefix(PathVariant v, PathVariant.ReplacePrefix r, RoutePlan.Match h) {
    String p = r.from();
    String q = r.to();
    String hp = h.path();
    switch (h.pathKind()) {
      case PREFIX -> {
        String composed;
        String rewrite;
        if (hp.startsWith(q)) {
          composed = p + hp.substring(q.length());
          rewrite = hp;
        } else if (q.startsWith(hp)) {
          composed = p;
          rewrite = q;
        } else {
          return new Never("the gateway rewrites the prefix " + p + " to " + q + ", and no path starting with " + q
              + " starts with its prefix " + hp);
        }
        if (v.slashless() && composed.startsWith(p + "/")) {
          return new Covered();
        }
        return new Ok(RoutePlan.PathKind.PREFIX, composed, rewrite, null, null, List.of());
      }
      case EXACT -> {
        if (!hp.startsWith(q)) {
          return new Never("the gateway rewrites the prefix " + p + " to " + q + ", and its path " + hp
              + " does not start with " + q);
        }
        String composed = p + hp.substring(q.length());
        if (v.slashless() && composed.startsWith(p + "/")) {
          return new Covered();
        }
        return new Ok(RoutePlan.PathKind.EXACT, composed, hp, null, null, List.of());
      }
      case REGEX -> {
        return new Never("its path regex " + hp + " applies to the path after the gateway rewrites the prefix " + p
            + " to " + q + ", which one Envoy route cannot express");
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** {@code :path} starts with {@code prefix}. Why: {@code :path} carries the query string after the path, so a prefix of the path is a prefix of {@code :path}. */
  private static RoutePlan.HeaderCondition pathPrefix(String prefix) {
    return new RoutePlan.HeaderCondition.Prefix(":path", prefix, false);
  }

  // ---- headers and query parameters ----

  /** ANDed conditions, or why they can never hold together. */
  record HeaderResult(List<RoutePlan.HeaderCondition> headers, List<RoutePlan.QueryCondition> queries, String never) {}

  static HeaderResult headers(GatewayRouteSpec g, RoutePlan.Match h) {
    List<RoutePlan.HeaderCondition> out = new ArrayList<>(g.headers());
    for (RoutePlan.HeaderCondition c : h.headers()) {
      boolean host = c.name().equals("host") || c.name().equals(":authority");
      if (host && g.hostRewrite() != null) {
        // The target's condition applies to the rewritten host, a literal: decide it now.
        if (Conditions.holds(c, g.hostRewrite())) {
          continue;
        }
        return never("it requires " + words(c) + ", and the gateway rewrites the host to " + g.hostRewrite());
      }
      if (c.name().equals(":path") && !g.pathUnchanged()) {
        return never("its condition on :path applies to the rewritten path, which one Envoy route cannot express");
      }
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    for (RoutePlan.HeaderCondition a : out) {
      for (RoutePlan.HeaderCondition b : out) {
        if (a.name().equals(b.name()) && a instanceof RoutePlan.HeaderCondition.Exact ea
            && b instanceof RoutePlan.HeaderCondition.Exact eb
            && !a.invert() && !b.invert() && !ea.value().equals(eb.value())) {
          return never("its conditions and the gateway route's contradict: " + words(a) + " and " + words(b));
        }
      }
    }
    out.sort(HEADER_ORDER);
    List<RoutePlan.QueryCondition> qs = new ArrayList<>(g.queries());
    h.queryParameters().stream().filter(q -> !qs.contains(q)).forEach(qs::add);
    qs.sort(Comparator.comparing(RoutePlan.QueryCondition::name).thenComparing(q -> String.valueOf(q.exact())));
    return new HeaderResult(out, qs, null);
  }

  private static HeaderResult never(String why) {
    return new HeaderResult(List.of(), List.of(), why);
  }

  static String words(RoutePlan.HeaderCondition c) {
    String v = c.match(new RoutePlan.HeaderCondition.Cases<String>() {
      @Override
      public String present(RoutePlan.HeaderCondition.Present p) {
        return "present";
      }

      @Override
      public String exact(RoutePlan.HeaderCondition.Exact e) {
        return "exact " + e.value();
      }

      @Override
      public String prefix(RoutePlan.HeaderCondition.Prefix p) {
        return "prefix " + p.value();
      }

      @Override
      public String suffix(RoutePlan.HeaderCondition.Suffix s) {
        return "suffix " + s.value();
      }

      @Override
      public String regex(RoutePlan.HeaderCondition.Regex r) {
        return "regex " + r.value();
      }

      @Override
      public String range(RoutePlan.HeaderCondition.Range r) {
        return "in [" + r.start() + ", " + r.end() + ")";
      }
    });
    return c.name() + (c.invert() ? " not " : " ") + v;
  }
}
