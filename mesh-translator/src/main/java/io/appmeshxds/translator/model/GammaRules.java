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
 * (segment-wise path prefixes, gRPC service/method paths), its filters to header edits and
 * rewrites, its timeouts; backendRefs are resolved later, per mesh ({@link GammaResolver}). What
 * we do not serve (redirects, mirrors, extension filters) is an error naming the field: the route
 * is then not served at all, rather than served differently than written.
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
      ServiceRoutes.Rewrite rewrite, long timeoutMs) {}

  /** The rule matches of an HTTPRoute. */
  static List<Pending> http(GatewayApi.HttpRoute r, Findings f) {
    List<Pending> out = new ArrayList<>();
    List<GatewayApi.HttpRule> rules = r.spec().rules();
    for (int i = 0; i < rules.size(); i++) {
      GatewayApi.HttpRule rule = rules.get(i);
      String at = "spec.rules[" + i + "]";
      Filters filters = filters(rule.filters(), at + ".filters", f);
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
        ServiceRoutes.Rewrite rewrite = rewrite(filters.rewrite, type, value, at + ".filters", mat, f);
        long[] rank = {pathRank, method == null ? 1 : 0, -headers.size(), -queries.size()};
        out.add(new Pending(name(r, rule.name(), i, m), i, m, rank, kind, path, headers, queries, method,
            rule.backendRefs(), at + ".backendRefs", filters.edits, rewrite, timeout));
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
            rule.backendRefs(), at + ".backendRefs", filters.edits, null, DEFAULT_TIMEOUT_MS));
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

  /** A rule's (or backendRef's) filters: header edits, a URL rewrite; the rest is reported. */
  record Filters(ServiceRoutes.Edits edits, GatewayApi.UrlRewrite rewrite) {}

  static Filters filters(List<GatewayApi.Filter> in, String at, Findings f) {
    List<ServiceRoutes.Header> reqSet = new ArrayList<>();
    List<ServiceRoutes.Header> reqAdd = new ArrayList<>();
    List<String> reqRemove = new ArrayList<>();
    List<ServiceRoutes.Header> resSet = new ArrayList<>();
    List<ServiceRoutes.Header> resAdd = new ArrayList<>();
    List<String> resRemove = new ArrayList<>();
    GatewayApi.UrlRewrite rewrite = null;
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
          } else {
            rewrite = flt.urlRewrite();
          }
        }
        case "RequestRedirect", "RequestMirror", "ExtensionRef", "CORS", "ExternalAuth" ->
            f.error(Reason.Unsupported, field + ".type", type + " filters are not served by appmesh-xds; the route is not"
                + " served (rather than served without the filter)");
        default -> f.error(field + ".type", type.isEmpty() ? "required" : "unknown filter type \"" + type + "\"");
      }
    }
    return new Filters(new ServiceRoutes.Edits(reqSet, reqAdd, reqRemove, resSet, resAdd, resRemove), rewrite);
  }

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

  /**
   * A URLRewrite for one match. ReplacePrefixMatch needs a PathPrefix match; as that match is a
   * segment-wise regex, the rewrite is a regex rewrite that keeps what follows the prefix.
   */
  private static ServiceRoutes.Rewrite rewrite(GatewayApi.UrlRewrite rw, String pathType, String pathValue, String at,
      String matchField, Findings f) {
    if (rw == null) {
      return null;
    }
    String host = rw.hostname();
    if (host != null && !host.matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")) {
      f.error(at + ".urlRewrite.hostname", "\"" + host + "\" is not a DNS host name");
      return null;
    }
    GatewayApi.PathModifier p = rw.path();
    if (p == null) {
      return new ServiceRoutes.Rewrite(host, null, null);
    }
    String type = p.type() == null ? "" : p.type();
    switch (type) {
      case "ReplaceFullPath" -> {
        if (p.replaceFullPath() == null || !p.replaceFullPath().startsWith("/")) {
          f.error(at + ".urlRewrite.path.replaceFullPath", "required: an absolute path");
          return null;
        }
        return new ServiceRoutes.Rewrite(host, "^.*$", substitution(p.replaceFullPath()));
      }
      case "ReplacePrefixMatch" -> {
        if (!"PathPrefix".equals(pathType)) {
          f.error(at + ".urlRewrite.path", "ReplacePrefixMatch needs a PathPrefix match (" + matchField + ".path is "
              + pathType + ")");
          return null;
        }
        String r = p.replacePrefixMatch() == null ? "/" : p.replacePrefixMatch();
        if (!r.startsWith("/")) {
          f.error(at + ".urlRewrite.path.replacePrefixMatch", "must be an absolute path");
          return null;
        }
        String prefix = trimSlash(pathValue);
        String repl = trimSlash(r);
        String quoted = prefix.equals("/") ? "" : Re2Literal.of(prefix);
        if (repl.equals("/")) {
          return new ServiceRoutes.Rewrite(host, "^" + quoted + "/?(.*)$", "/\\1");
        }
        return new ServiceRoutes.Rewrite(host, "^" + quoted + "(/.*)?$", substitution(repl) + "\\1");
      }
      default -> {
        f.error(at + ".urlRewrite.path.type", "unsupported value \"" + type + "\"; supported: ReplaceFullPath,"
            + " ReplacePrefixMatch");
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
