package io.appmeshxds.translator.model;

import io.appmeshxds.translator.input.GatewayApi;
import io.appmeshxds.translator.re2.Re2Literal;
import io.appmeshxds.translator.input.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mesh-independent part of a Gateway API route: each rule's matches lowered to Envoy's terms
 * (segment-wise path prefixes, gRPC service/method paths), its filters to header edits, rewrites,
 * redirects and mirrors, its timeouts; backendRefs (a mirror's too) are resolved later, per mesh
 * ({@link GammaResolver}). What we do not serve (extension filters, and redirects and mirrors of a
 * route lowered for a Gateway) is an error naming the field: the route is then not served at all,
 * rather than served differently than written.
 */
final class GammaRules {
  private GammaRules() {}

  /** Gateway API's header name pattern (RFC 7230 token). */
  private static final Pattern HEADER_NAME = Pattern.compile("^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$");
  /** Gateway API's duration (GEP-2257). */
  private static final Pattern DURATION = Pattern.compile("^([0-9]{1,5}(ms|h|m|s)){1,4}$");
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]{1,5})(ms|h|m|s)");
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
      "PATCH");
  /** App Mesh's and Envoy's default request timeout, for a rule without {@code timeouts}. */
  static final long DEFAULT_TIMEOUT_MS = 15_000;

  /**
   * One match of one rule, before backends are resolved.
   *
   * @param rank precedence within its kind (smaller first), then {@code rule} and {@code match}
   */
  record Pending(String name, int rule, int match, long[] rank, ServiceRoutes.PathKind pathKind, String path,
      List<ServiceRoutes.Condition> headers, List<ServiceRoutes.Condition> queryParams, String method,
      List<GatewayApi.BackendRef> backendRefs, String backendField, ServiceRoutes.Edits edits,
      ServiceRoutes.Rewrite rewrite, long timeoutMs, ServiceRoutes.Redirect redirect, List<PendingMirror> mirrors) {}

  /**
   * A RequestMirror filter before its backend is resolved.
   *
   * @param field the filter's field path ({@code spec.rules[i].filters[j]})
   * @param numerator with {@code denominator}, the share mirrored (see {@link ServiceRoutes.Mirror})
   */
  record PendingMirror(GatewayApi.BackendRef backendRef, String field, long numerator, long denominator) {}

  /**
   * The rule matches of an HTTPRoute lowered for a Gateway ({@link NorthSouth}): redirects and
   * mirrors are not lowered there yet, an error.
   */
  static List<Pending> http(GatewayApi.HttpRoute r, Findings f) {
    return http(r, f, false);
  }

  /** The rule matches of an HTTPRoute; {@code eastWest}: for a Service parent (GAMMA), where redirects and mirrors are served. */
  static List<Pending> http(GatewayApi.HttpRoute r, Findings f, boolean eastWest) {
    List<Pending> out = new ArrayList<>();
    List<GatewayApi.HttpRule> rules = r.spec().rules();
    for (int i = 0; i < rules.size(); i++) {
      GatewayApi.HttpRule rule = rules.get(i);
      String at = "spec.rules[" + i + "]";
      Filters filters = filters(rule.filters(), at + ".filters", f);
      if (!eastWest) {
        if (filters.redirectAt != null) {
          f.error(Reason.Unsupported, filters.redirectAt + ".type", "RequestRedirect filters are not served through a"
              + " Gateway yet (they are for a Service parent); the route is not served there");
        }
        for (PendingMirror m : filters.mirrors) {
          f.error(Reason.Unsupported, m.field() + ".type", "RequestMirror filters are not served through a Gateway yet"
              + " (they are for a Service parent); the route is not served there");
        }
      }
      List<GatewayApi.BackendRef> backendRefs = rule.backendRefs();
      List<PendingMirror> mirrors = filters.mirrors;
      if (filters.redirect != null) {
        if (!backendRefs.isEmpty()) {
          f.warn(at + ".backendRefs", "not used: the rule answers every request with its RequestRedirect");
          backendRefs = List.of();
        }
        if (!mirrors.isEmpty()) {
          f.warn(mirrors.get(0).field(), "not used: the rule answers every request with its RequestRedirect, nothing is"
              + " forwarded or mirrored");
          mirrors = List.of();
        }
      }
      long timeout = timeout(rule.timeouts(), at + ".timeouts", f);
      List<GatewayApi.HttpMatch> matches = rule.matches().isEmpty()
          ? List.of(new GatewayApi.HttpMatch(null, List.of(), List.of(), null)) : rule.matches();
      for (int m = 0; m < matches.size(); m++) {
        GatewayApi.HttpMatch match = matches.get(m);
        String mat = at + ".matches[" + m + "]";
        String type = match.path() == null || match.path().type() == null ? "PathPrefix" : match.path().type();
        String value = match.path() == null || match.path().value() == null ? "/" : match.path().value();
        ServiceRoutes.PathKind kind;
        String path;
        long pathRank;
        switch (type) {
          case "Exact" -> {
            kind = ServiceRoutes.PathKind.EXACT;
            path = value;
            pathRank = 0;
            checkPath(mat + ".path.value", value, f);
          }
          case "RegularExpression" -> {
            kind = ServiceRoutes.PathKind.REGEX;
            path = value;
            pathRank = 1;
            CommonRules.re2(mat + ".path.value", value, f);
          }
          case "PathPrefix" -> {
            checkPath(mat + ".path.value", value, f);
            String trimmed = trimSlash(value);
            kind = trimmed.equals("/") ? ServiceRoutes.PathKind.PREFIX : ServiceRoutes.PathKind.REGEX;
            path = trimmed.equals("/") ? "/" : Re2Literal.of(trimmed) + "(/.*)?";
            // Longest prefix first.
            pathRank = 2L * 100_000 - trimmed.length();
          }
          default -> {
            f.error(mat + ".path.type", "unsupported value \"" + type + "\"; supported: Exact, PathPrefix, RegularExpression");
            continue;
          }
        }
        String method = null;
        if (match.method() != null) {
          if (!METHODS.contains(match.method())) {
            f.error(mat + ".method", "unsupported value \"" + match.method() + "\"; supported: " + new java.util.TreeSet<>(METHODS));
          } else {
            method = match.method();
          }
        }
        List<ServiceRoutes.Condition> headers = conditions(match.headers(), mat + ".headers", true, f);
        List<ServiceRoutes.Condition> queries = conditions(match.queryParams(), mat + ".queryParams", false, f);
        ServiceRoutes.Rewrite rewrite = rewrite(filters.rewrite, type, value, filters.rewriteAt, mat, f);
        ServiceRoutes.Redirect redirect = filters.redirect == null ? null
            : redirect(filters.redirect, filters.redirectAt + ".requestRedirect", type, value, mat, f);
        long[] rank = {pathRank, method == null ? 1 : 0, -headers.size(), -queries.size()};
        out.add(new Pending(name(r, rule.name(), i, m), i, m, rank, kind, path, headers, queries, method,
            backendRefs, at + ".backendRefs", filters.edits, rewrite, timeout, redirect, mirrors));
      }
    }
    return out;
  }

  /** The rule matches of a GRPCRoute (GRPCRoute has no timeouts in v1: App Mesh's 15 s default applies). */
  static List<Pending> grpc(GatewayApi.GrpcRoute r, Findings f) {
    List<Pending> out = new ArrayList<>();
    List<GatewayApi.GrpcRule> rules = r.spec().rules();
    for (int i = 0; i < rules.size(); i++) {
      GatewayApi.GrpcRule rule = rules.get(i);
      String at = "spec.rules[" + i + "]";
      Filters filters = filters(rule.filters(), at + ".filters", f);
      if (filters.rewrite != null) {
        f.error(Reason.Unsupported, at + ".filters", "GRPCRoute has no URLRewrite filter");
      }
      if (filters.redirectAt != null) {
        f.error(Reason.Unsupported, filters.redirectAt + ".type", "GRPCRoute has no RequestRedirect filter");
      }
      List<GatewayApi.GrpcMatch> matches = rule.matches().isEmpty()
          ? List.of(new GatewayApi.GrpcMatch(null, List.of())) : rule.matches();
      for (int m = 0; m < matches.size(); m++) {
        GatewayApi.GrpcMatch match = matches.get(m);
        String mat = at + ".matches[" + m + "]";
        GatewayApi.GrpcMethodMatch mm = match.method();
        ServiceRoutes.PathKind kind = ServiceRoutes.PathKind.PREFIX;
        String path = "/";
        long methodRank = 4;
        long serviceLength = 0;
        long methodLength = 0;
        if (mm != null) {
          String type = mm.type() == null ? "Exact" : mm.type();
          String svc = mm.service();
          String method = mm.method();
          if (svc == null && method == null) {
            f.error(mat + ".method", "one of service and method is required");
            continue;
          }
          serviceLength = svc == null ? 0 : svc.length();
          methodLength = method == null ? 0 : method.length();
          if (type.equals("Exact")) {
            if (svc != null && !svc.matches("^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$")) {
              f.error(mat + ".method.service", "\"" + svc + "\" is not a gRPC service name");
              continue;
            }
            if (method != null && !method.matches("^[A-Za-z_][A-Za-z_0-9]*$")) {
              f.error(mat + ".method.method", "\"" + method + "\" is not a gRPC method name");
              continue;
            }
            if (svc != null && method != null) {
              kind = ServiceRoutes.PathKind.EXACT;
              path = "/" + svc + "/" + method;
              methodRank = 0;
            } else if (svc != null) {
              path = "/" + svc + "/";
              methodRank = 1;
            } else {
              kind = ServiceRoutes.PathKind.REGEX;
              path = "/[^/]+/" + Re2Literal.of(method);
              methodRank = 2;
            }
          } else if (type.equals("RegularExpression")) {
            if (svc != null) {
              CommonRules.re2(mat + ".method.service", svc, f);
            }
            if (method != null) {
              CommonRules.re2(mat + ".method.method", method, f);
            }
            kind = ServiceRoutes.PathKind.REGEX;
            path = "/(" + (svc == null ? "[^/]+" : svc) + ")/(" + (method == null ? "[^/]+" : method) + ")";
            methodRank = 3;
          } else {
            f.error(mat + ".method.type", "unsupported value \"" + type + "\"; supported: Exact, RegularExpression");
            continue;
          }
        }
        List<ServiceRoutes.Condition> headers = conditions(match.headers(), mat + ".headers", true, f);
        long[] rank = {methodRank, -serviceLength, -methodLength, -headers.size()};
        out.add(new Pending(name(r, rule.name(), i, m), i, m, rank, kind, path, headers, List.of(), null,
            rule.backendRefs(), at + ".backendRefs", filters.edits, null, DEFAULT_TIMEOUT_MS, null, filters.mirrors));
      }
    }
    return out;
  }

  private static String name(GatewayApi.Route r, String ruleName, int rule, int match) {
    return r.kind() + "/" + r.metadata().namespace() + "/" + r.metadata().name() + "/"
        + (ruleName == null || ruleName.isEmpty() ? "rules-" + rule : ruleName) + "/matches-" + match;
  }

  private static void checkPath(String field, String value, Findings f) {
    if (!value.startsWith("/")) {
      f.error(field, "must be an absolute path (start with \"/\")");
    } else if (value.contains("//") || value.contains("#") || value.contains("?") || value.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      f.error(field, "must not contain \"//\", \"?\", \"#\", white space or control characters");
    }
  }

  /** "/foo/" and "/foo" match the same requests in Gateway API. */
  private static String trimSlash(String p) {
    String s = p;
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** Header or query parameter conditions; the first of several with one name is used (as the API says). */
  private static List<ServiceRoutes.Condition> conditions(List<GatewayApi.ValueMatch> in, String at, boolean header,
      Findings f) {
    List<ServiceRoutes.Condition> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < in.size(); i++) {
      GatewayApi.ValueMatch v = in.get(i);
      String field = at + "[" + i + "]";
      if (v.name() == null || !HEADER_NAME.matcher(v.name()).matches()) {
        f.error(field + ".name", v.name() == null ? "required" : "\"" + v.name() + "\" is not a valid "
            + (header ? "header" : "query parameter") + " name");
        continue;
      }
      String name = header ? v.name().toLowerCase(Locale.ROOT) : v.name();
      if (!seen.add(name)) {
        f.warn(field, "a second match on " + name + " is ignored (Gateway API uses the first)");
        continue;
      }
      String type = v.type() == null ? "Exact" : v.type();
      if (v.value() == null) {
        f.error(field + ".value", "required");
        continue;
      }
      if (type.equals("RegularExpression")) {
        CommonRules.re2(field + ".value", v.value(), f);
        out.add(new ServiceRoutes.Condition(name, true, v.value()));
      } else if (type.equals("Exact")) {
        out.add(new ServiceRoutes.Condition(name, false, v.value()));
      } else {
        f.error(field + ".type", "unsupported value \"" + type + "\"; supported: Exact, RegularExpression");
      }
    }
    out.sort(Comparator.comparing(ServiceRoutes.Condition::name));
    return out;
  }

  /**
   * A rule's (or backendRef's) filters: header edits, a URL rewrite, a redirect (at {@code
   * redirectAt}, its filter's field path), mirrors; the rest is reported. Callers report what they
   * do not serve where they read them.
   */
  record Filters(ServiceRoutes.Edits edits, GatewayApi.UrlRewrite rewrite, String rewriteAt, GatewayApi.Redirect redirect,
      String redirectAt, List<PendingMirror> mirrors) {
    Filters {
      mirrors = List.copyOf(mirrors);
    }
  }

  static Filters filters(List<GatewayApi.Filter> in, String at, Findings f) {
    List<ServiceRoutes.Header> reqSet = new ArrayList<>();
    List<ServiceRoutes.Header> reqAdd = new ArrayList<>();
    List<String> reqRemove = new ArrayList<>();
    List<ServiceRoutes.Header> resSet = new ArrayList<>();
    List<ServiceRoutes.Header> resAdd = new ArrayList<>();
    List<String> resRemove = new ArrayList<>();
    GatewayApi.UrlRewrite rewrite = null;
    String rewriteAt = null;
    GatewayApi.Redirect redirect = null;
    String redirectAt = null;
    List<PendingMirror> mirrors = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      GatewayApi.Filter flt = in.get(i);
      String field = at + "[" + i + "]";
      String type = flt.type() == null ? "" : flt.type();
      switch (type) {
        case "RequestHeaderModifier" -> headerFilter(flt.requestHeaderModifier(), field + ".requestHeaderModifier", reqSet,
            reqAdd, reqRemove, f);
        case "ResponseHeaderModifier" -> headerFilter(flt.responseHeaderModifier(), field + ".responseHeaderModifier",
            resSet, resAdd, resRemove, f);
        case "URLRewrite" -> {
          if (flt.urlRewrite() == null) {
            f.error(field + ".urlRewrite", "required for type URLRewrite");
          } else if (rewriteAt != null) {
            f.error(field + ".type", "URLRewrite may appear once in a filter list (" + rewriteAt + " is one)");
          } else {
            rewrite = flt.urlRewrite();
            rewriteAt = field;
          }
        }
        case "RequestRedirect" -> {
          if (flt.requestRedirect() == null) {
            f.error(field + ".requestRedirect", "required for type RequestRedirect");
          } else if (redirectAt != null) {
            f.error(field + ".type", "RequestRedirect may appear once in a filter list (" + redirectAt + " is one)");
          } else {
            redirect = flt.requestRedirect();
            redirectAt = field;
          }
        }
        case "RequestMirror" -> {
          PendingMirror m = mirror(flt.requestMirror(), field, f);
          if (m != null) {
            mirrors.add(m);
          }
        }
        case "ExtensionRef", "CORS", "ExternalAuth" ->
            f.error(Reason.Unsupported, field + ".type", type + " filters are not served by appmesh-xds; the route is not"
                + " served (rather than served without the filter)");
        default -> f.error(field + ".type", type.isEmpty() ? "required" : "unknown filter type \"" + type + "\"");
      }
    }
    if (redirectAt != null && rewriteAt != null) {
      f.error(redirectAt + ".type", "a RequestRedirect and a URLRewrite (" + rewriteAt + ") cannot both be set: one"
          + " answers the request, the other rewrites it before forwarding");
    }
    return new Filters(new ServiceRoutes.Edits(reqSet, reqAdd, reqRemove, resSet, resAdd, resRemove), rewrite, rewriteAt,
        redirect, redirectAt, mirrors);
  }

  /** The denominators Envoy's FractionalPercent has, smallest first. */
  private static final long[] DENOMINATORS = {100, 10_000, 1_000_000};

  /**
   * A RequestMirror filter: its backendRef (a BackendObjectReference, resolved per mesh later) and
   * the share of requests mirrored ({@code percent} or {@code fraction}, exclusive; neither: all),
   * over the smallest denominator Envoy has that states it exactly (else millionths, rounded down,
   * with a warning); null when invalid (reported).
   */
  private static PendingMirror mirror(GatewayApi.Mirror m, String field, Findings f) {
    String at = field + ".requestMirror";
    if (m == null) {
      f.error(at, "required for type RequestMirror");
      return null;
    }
    if (m.backendRef() == null) {
      f.error(at + ".backendRef", "required");
      return null;
    }
    boolean ok = true;
    if (m.backendRef().weight() != null) {
      f.error(at + ".backendRef.weight", "not a field of a mirror's backendRef (a BackendObjectReference)");
      ok = false;
    }
    if (!m.backendRef().filters().isEmpty()) {
      f.error(at + ".backendRef.filters", "not a field of a mirror's backendRef (a BackendObjectReference)");
      ok = false;
    }
    long num = 100;
    long den = 100;
    if (m.percent() != null && m.fraction() != null) {
      f.error(at, "percent and fraction are exclusive; set one");
      return null;
    }
    if (m.percent() != null) {
      if (m.percent() < 0 || m.percent() > 100) {
        f.error(at + ".percent", "must be 0-100 (got " + m.percent() + ")");
        return null;
      }
      num = m.percent();
    } else if (m.fraction() != null) {
      Long n = m.fraction().numerator();
      long d = m.fraction().denominator() == null ? 100 : m.fraction().denominator();
      if (n == null) {
        f.error(at + ".fraction.numerator", "required");
        return null;
      }
      if (d < 1 || d > Integer.MAX_VALUE) {
        f.error(at + ".fraction.denominator", "must be at least 1 (got " + d + ")");
        return null;
      }
      if (n < 0 || n > d) {
        f.error(at + ".fraction.numerator", "must be 0-" + d + ", at most the denominator (got " + n + ")");
        return null;
      }
      num = -1;
      for (long envoy : DENOMINATORS) {
        if ((n * envoy) % d == 0) {
          num = n * envoy / d;
          den = envoy;
          break;
        }
      }
      if (num < 0) {
        num = n * 1_000_000 / d;
        den = 1_000_000;
        f.warn(at + ".fraction", n + "/" + d + " is mirrored as " + num + "/1000000 (Envoy's finest fraction)");
      }
    }
    return ok ? new PendingMirror(m.backendRef(), field, num, den) : null;
  }

  /**
   * A RequestRedirect for one match (at {@code at}, its {@code requestRedirect} field): scheme,
   * host name, port (a scheme without a port redirects to the scheme's well-known port, as
   * Gateway API says), path (ReplaceFullPath, or ReplacePrefixMatch with a PathPrefix match, as
   * for URLRewrite) and status code (302 by default); null when invalid (reported).
   */
  private static ServiceRoutes.Redirect redirect(GatewayApi.Redirect rd, String at, String pathType, String pathValue,
      String matchField, Findings f) {
    String scheme = rd.scheme();
    if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
      f.error(at + ".scheme", "unsupported value \"" + scheme + "\"; supported: http, https");
      return null;
    }
    String host = rd.hostname();
    if (host != null && !host.matches(PRECISE_HOST)) {
      f.error(at + ".hostname", "\"" + host + "\" is not a DNS host name");
      return null;
    }
    Long port = rd.port();
    if (port != null && (port < 1 || port > 65535)) {
      f.error(at + ".port", "must be 1-65535 (got " + port + ")");
      return null;
    }
    if (port == null && scheme != null) {
      port = scheme.equals("https") ? 443L : 80L;
    }
    int status = rd.statusCode() == null ? 302 : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
        rd.statusCode()));
    if (!REDIRECT_CODES.contains(status)) {
      f.error(at + ".statusCode", "unsupported value " + rd.statusCode() + "; supported: " + REDIRECT_CODES);
      return null;
    }
    PathEdit p = rd.path() == null ? null : pathEdit(rd.path(), pathType, pathValue, at + ".path", matchField, f);
    if (rd.path() != null && p == null) {
      return null;
    }
    if (p == null) {
      return new ServiceRoutes.Redirect(scheme, host, port, null, null, null, status);
    }
    return p.fullPath() != null ? new ServiceRoutes.Redirect(scheme, host, port, p.fullPath(), null, null, status)
        : new ServiceRoutes.Redirect(scheme, host, port, null, p.pattern(), p.substitution(), status);
  }

  /** Gateway API's redirect status codes (301 and 302 core, the others extended). */
  private static final java.util.SortedSet<Integer> REDIRECT_CODES = new java.util.TreeSet<>(List.of(301, 302, 303, 307, 308));
  /** Gateway API's PreciseHostname. */
  private static final String PRECISE_HOST = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  private static void headerFilter(GatewayApi.HeaderFilter h, String at, List<ServiceRoutes.Header> set,
      List<ServiceRoutes.Header> add, List<String> remove, Findings f) {
    if (h == null) {
      f.error(at, "required for its filter type");
      return;
    }
    headers(h.set(), at + ".set", set, f);
    headers(h.add(), at + ".add", add, f);
    for (int i = 0; i < h.remove().size(); i++) {
      String n = h.remove().get(i);
      if (!HEADER_NAME.matcher(n).matches() || n.startsWith(":")) {
        f.error(at + ".remove[" + i + "]", "\"" + n + "\" is not a header name that can be removed");
      } else {
        remove.add(n.toLowerCase(Locale.ROOT));
      }
    }
  }

  private static void headers(List<GatewayApi.Header> in, String at, List<ServiceRoutes.Header> out, Findings f) {
    for (int i = 0; i < in.size(); i++) {
      GatewayApi.Header h = in.get(i);
      String field = at + "[" + i + "]";
      if (h.name() == null || !HEADER_NAME.matcher(h.name()).matches() || h.name().equalsIgnoreCase("host")) {
        f.error(field + ".name", h.name() == null ? "required" : "\"" + h.name() + "\" is not a header name that can be set");
      } else if (h.value() == null || h.value().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        f.error(field + ".value", h.value() == null ? "required" : "must not contain CR, LF or NUL");
      } else {
        out.add(new ServiceRoutes.Header(h.name().toLowerCase(Locale.ROOT), h.value()));
      }
    }
  }

  /** A URLRewrite for one match (its path: {@link #pathEdit}). */
  private static ServiceRoutes.Rewrite rewrite(GatewayApi.UrlRewrite rw, String pathType, String pathValue, String at,
      String matchField, Findings f) {
    if (rw == null) {
      return null;
    }
    String host = rw.hostname();
    if (host != null && !host.matches(PRECISE_HOST)) {
      f.error(at + ".urlRewrite.hostname", "\"" + host + "\" is not a DNS host name");
      return null;
    }
    if (rw.path() == null) {
      return new ServiceRoutes.Rewrite(host, null, null);
    }
    PathEdit p = pathEdit(rw.path(), pathType, pathValue, at + ".urlRewrite.path", matchField, f);
    return p == null ? null : new ServiceRoutes.Rewrite(host, p.pattern(), p.substitution());
  }

  /**
   * A path modifier as an RE2 rewrite ({@code pattern}, {@code substitution}); for ReplaceFullPath
   * also the path itself ({@code fullPath}, else null).
   */
  private record PathEdit(String fullPath, String pattern, String substitution) {}

  /**
   * The path modifier {@code p} at field {@code at} for a match of {@code pathType} {@code
   * pathValue}; null when invalid (reported). ReplacePrefixMatch needs a PathPrefix match; as that
   * match is a segment-wise regex, the rewrite is a regex rewrite that keeps what follows the prefix.
   */
  private static PathEdit pathEdit(GatewayApi.PathModifier p, String pathType, String pathValue, String at,
      String matchField, Findings f) {
    String type = p.type() == null ? "" : p.type();
    switch (type) {
      case "ReplaceFullPath" -> {
        if (p.replaceFullPath() == null || !p.replaceFullPath().startsWith("/")) {
          f.error(at + ".replaceFullPath", "required: an absolute path");
          return null;
        }
        return new PathEdit(p.replaceFullPath(), "^.*$", substitution(p.replaceFullPath()));
      }
      case "ReplacePrefixMatch" -> {
        if (!"PathPrefix".equals(pathType)) {
          f.error(at, "ReplacePrefixMatch needs a PathPrefix match (" + matchField + ".path is " + pathType + ")");
          return null;
        }
        String r = p.replacePrefixMatch() == null ? "/" : p.replacePrefixMatch();
        if (!r.startsWith("/")) {
          f.error(at + ".replacePrefixMatch", "must be an absolute path");
          return null;
        }
        String prefix = trimSlash(pathValue);
        String repl = trimSlash(r);
        String quoted = prefix.equals("/") ? "" : Re2Literal.of(prefix);
        if (repl.equals("/")) {
          return new PathEdit(null, "^" + quoted + "/?(.*)$", "/\\1");
        }
        return new PathEdit(null, "^" + quoted + "(/.*)?$", substitution(repl) + "\\1");
      }
      default -> {
        f.error(at + ".type", "unsupported value \"" + type + "\"; supported: ReplaceFullPath, ReplacePrefixMatch");
        return null;
      }
    }
  }

  /** A literal for an RE2 substitution: a backslash starts a group reference there. */
  private static String substitution(String s) {
    return s.replace("\\", "\\\\");
  }

  /**
   * The effective request timeout of an HTTPRoute rule: the shorter of {@code request} and {@code
   * backendRequest} that is set and not 0 (no retries are made, so the one backend request is the
   * whole request); 0 when every one set is 0 (disabled); App Mesh's and Envoy's 15 s when none is set.
   */
  static long timeout(GatewayApi.Timeouts t, String at, Findings f) {
    if (t == null) {
      return DEFAULT_TIMEOUT_MS;
    }
    Long request = duration(t.request(), at + ".request", f);
    Long backend = duration(t.backendRequest(), at + ".backendRequest", f);
    if (request != null && backend != null && request > 0 && backend > request) {
      f.error(at + ".backendRequest", "must not be longer than request (" + t.request() + ")");
    }
    if (request == null && backend == null) {
      return DEFAULT_TIMEOUT_MS;
    }
    long best = 0;
    for (Long v : new Long[] {request, backend}) {
      if (v != null && v > 0 && (best == 0 || v < best)) {
        best = v;
      }
    }
    return best;
  }

  /** A Gateway API duration in milliseconds, null when absent (or invalid, reported). */
  static Long duration(String s, String field, Findings f) {
    if (s == null) {
      return null;
    }
    if (!DURATION.matcher(s).matches()) {
      f.error(field, "\"" + s + "\" is not a Gateway API duration (e.g. 10s, 1m30s, 500ms)");
      return null;
    }
    long ms = 0;
    Matcher m = DURATION_PART.matcher(s);
    while (m.find()) {
      long v = Long.parseLong(m.group(1));
      ms += switch (m.group(2)) {
        case "h" -> v * 3_600_000;
        case "m" -> v * 60_000;
        case "s" -> v * 1_000;
        default -> v;
      };
    }
    return ms;
  }
}
