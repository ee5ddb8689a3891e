package io.appmeshxds.gateway;

import com.google.re2j.Pattern;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Envoy's route selection over a rendered {@link RouteConfiguration}, following Envoy's documented
 * rules (route_components.proto, the HTTP routing architecture overview), for tests:
 *
 * <ol>
 *   <li>Virtual host by {@code :authority}, case-insensitive: exact domain, then suffix wildcards
 *       ({@code *.foo.com}, {@code *-bar.foo.com}; longest first), then prefix wildcards
 *       ({@code foo.*}; longest first), then {@code *}. A wildcard never matches the empty string.
 *       The port is part of the host unless {@code ignore_port_in_host_matching} is set.
 *   <li>The first route of that virtual host whose match holds: the path specifier ({@code prefix},
 *       {@code path}, {@code path_separated_prefix} honour {@code case_sensitive}, default true;
 *       {@code safe_regex} is an RE2 full match) on the path without query string; every header
 *       matcher; every query parameter matcher.
 *   <li>Header matchers: a missing header matches only {@code present_match: false} (or, inverted,
 *       {@code present_match: true}) unless {@code treat_missing_header_as_empty}; otherwise the
 *       matcher ({@code string_match} exact / prefix / suffix / contains / safe_regex full match,
 *       {@code ignore_case}; the deprecated per-kind fields; {@code range_match} with an exclusive
 *       end on a base-10 integer) and then {@code invert_match}. Pseudo-headers {@code :authority}
 *       ({@code host}), {@code :path} (with the query string), {@code :method}, {@code :scheme}.
 *   <li>Query parameters: the first value of the name, percent-decoded; {@code present_match} or a
 *       string match on it; a missing parameter fails.
 *   <li>The action: the cluster or weighted clusters; {@code prefix_rewrite} replaces the matched
 *       prefix, or the whole path for {@code path} and {@code safe_regex} matches;
 *       {@code regex_rewrite} replaces every match in the path; both keep the query string;
 *       {@code host_rewrite_literal} replaces the authority.
 * </ol>
 *
 * Anything else (runtime fractions, TLS or metadata matchers, redirects, direct responses, cluster
 * headers) throws, so a test never silently evaluates something this class does not model.
 */
final class EnvoyRouteEvaluator {
  private EnvoyRouteEvaluator() {}

  private static final Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

  /** A compiled RE2 pattern (cached: tests evaluate the same configurations many times). */
  static Pattern re2(String regex) {
    return PATTERNS.computeIfAbsent(regex, Pattern::compile);
  }

  /**
   * A request.
   *
   * @param authority {@code :authority} / Host, with the port if any
   * @param method {@code :method}
   * @param path {@code :path}, with the query string
   * @param headers other headers (names lower case)
   */
  record Request(String authority, String method, String path, Map<String, String> headers) {
    Request {
      headers = Map.copyOf(headers);
    }

    static Request get(String authority, String path) {
      return new Request(authority, "GET", path, Map.of());
    }

    Request with(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name.toLowerCase(Locale.ROOT), value);
      return new Request(authority, method, path, h);
    }

    Request method(String m) {
      return new Request(authority, m, path, headers);
    }

    /** A header or pseudo-header value, or null when absent. */
    String header(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      return switch (n) {
        case ":authority", "host" -> authority;
        case ":path" -> path;
        case ":method" -> method;
        case ":scheme" -> headers.getOrDefault(":scheme", "http");
        default -> headers.get(n);
      };
    }
  }

  /** A cluster and its weight. */
  record Target(String cluster, long weight) {}

  /**
   * Where a request goes.
   *
   * @param virtualHost the virtual host's name
   * @param route the route's name
   * @param clusters clusters with weights (a plain cluster has weight 1)
   * @param path the path sent upstream, with the query string
   * @param authority the authority sent upstream
   */
  record Result(String virtualHost, String route, List<Target> clusters, String path, String authority) {
    /** Fraction of requests sent to {@code cluster}. */
    double share(String cluster) {
      long total = clusters.stream().mapToLong(Target::weight).sum();
      return clusters.stream().filter(t -> t.cluster().equals(cluster)).mapToLong(Target::weight).sum() / (double) total;
    }

    /** Cluster → weight, in route order. */
    Map<String, Long> weights() {
      Map<String, Long> m = new LinkedHashMap<>();
      clusters.forEach(t -> m.merge(t.cluster(), t.weight(), Long::sum));
      return m;
    }
  }

  /** Where {@code req} goes, or empty when no virtual host or no route matches (Envoy answers 404). */
  static Optional<Result> route(RouteConfiguration rc, Request req) {
    VirtualHost vh = virtualHost(rc, req.authority());
    if (vh == null) {
      return Optional.empty();
    }
    for (Route r : vh.getRoutesList()) {
      if (matches(r.getMatch(), req)) {
        return Optional.of(action(vh, r, req));
      }
    }
    return Optional.empty();
  }

  static VirtualHost virtualHost(RouteConfiguration rc, String authority) {
    String host = authority.toLowerCase(Locale.ROOT);
    if (rc.getIgnorePortInHostMatching()) {
      host = stripPort(host);
    }
    VirtualHost suffix = null;
    int suffixLen = -1;
    VirtualHost prefix = null;
    int prefixLen = -1;
    VirtualHost any = null;
    for (VirtualHost vh : rc.getVirtualHostsList()) {
      for (String d : vh.getDomainsList()) {
        String dl = d.toLowerCase(Locale.ROOT);
        if (dl.equals("*")) {
          any = any == null ? vh : any;
        } else if (dl.startsWith("*")) {
          String s = dl.substring(1);
          if (host.length() > s.length() && host.endsWith(s) && s.length() > suffixLen) {
            suffix = vh;
            suffixLen = s.length();
          }
        } else if (dl.endsWith("*")) {
          String p = dl.substring(0, dl.length() - 1);
          if (host.length() > p.length() && host.startsWith(p) && p.length() > prefixLen) {
            prefix = vh;
            prefixLen = p.length();
          }
        } else if (dl.equals(host)) {
          return vh;
        }
      }
    }
    return suffix != null ? suffix : prefix != null ? prefix : any;
  }

  private static String stripPort(String host) {
    int colon = host.lastIndexOf(':');
    if (colon < 0 || host.endsWith("]") || !host.substring(colon + 1).matches("[0-9]+")) {
      return host;
    }
    return host.substring(0, colon);
  }

  static boolean matches(RouteMatch m, Request req) {
    if (m.hasRuntimeFraction() || m.hasTlsContext() || m.getDynamicMetadataCount() > 0 || m.getFilterStateCount() > 0) {
      throw new IllegalArgumentException("route match features not modelled: " + m);
    }
    String path = pathOnly(req.path());
    boolean cs = !m.hasCaseSensitive() || m.getCaseSensitive().getValue();
    boolean pathOk = switch (m.getPathSpecifierCase()) {
      case PREFIX -> startsWith(path, m.getPrefix(), cs);
      case PATH -> cs ? path.equals(m.getPath()) : path.equalsIgnoreCase(m.getPath());
      case SAFE_REGEX -> re2(m.getSafeRegex().getRegex()).matcher(path).matches();
      case PATH_SEPARATED_PREFIX -> {
        String p = m.getPathSeparatedPrefix();
        yield (cs ? path.equals(p) : path.equalsIgnoreCase(p)) || startsWith(path, p + "/", cs);
      }
      default -> throw new IllegalArgumentException("path specifier not modelled: " + m.getPathSpecifierCase());
    };
    if (!pathOk) {
      return false;
    }
    if (m.hasGrpc()) {
      String ct = req.header("content-type");
      if (ct == null || !ct.startsWith("application/grpc")) {
        return false;
      }
    }
    for (HeaderMatcher h : m.getHeadersList()) {
      if (!header(h, req.header(h.getName()))) {
        return false;
      }
    }
    Map<String, String> query = query(req.path());
    for (QueryParameterMatcher q : m.getQueryParametersList()) {
      String v = query.get(q.getName());
      if (v == null) {
        return false;
      }
      if (q.hasStringMatch() && !string(q.getStringMatch(), v)) {
        return false;
      }
      if (q.getQueryParameterMatchSpecifierCase() == QueryParameterMatcher.QueryParameterMatchSpecifierCase.PRESENT_MATCH
          && !q.getPresentMatch()) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(String s, String prefix, boolean caseSensitive) {
    return caseSensitive ? s.startsWith(prefix) : s.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /** One header matcher on a value (null when the header is absent). */
  static boolean header(HeaderMatcher h, String value) {
    boolean present = h.getHeaderMatchSpecifierCase() == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH;
    if (value == null) {
      if (!h.getTreatMissingHeaderAsEmpty()) {
        // Envoy: an absent header matches present_match: false, or inverted present_match: true; nothing else.
        return present && h.getPresentMatch() == h.getInvertMatch();
      }
      value = "";
    }
    boolean m = switch (h.getHeaderMatchSpecifierCase()) {
      case EXACT_MATCH -> value.equals(h.getExactMatch());
      case SAFE_REGEX_MATCH -> re2(h.getSafeRegexMatch().getRegex()).matcher(value).matches();
      case RANGE_MATCH -> range(value, h.getRangeMatch().getStart(), h.getRangeMatch().getEnd());
      case PRESENT_MATCH -> h.getPresentMatch();
      case PREFIX_MATCH -> value.startsWith(h.getPrefixMatch());
      case SUFFIX_MATCH -> value.endsWith(h.getSuffixMatch());
      case CONTAINS_MATCH -> value.contains(h.getContainsMatch());
      case STRING_MATCH -> string(h.getStringMatch(), value);
      case HEADERMATCHSPECIFIER_NOT_SET -> true;
    };
    return m != h.getInvertMatch();
  }

  static boolean string(StringMatcher s, String value) {
    boolean ic = s.getIgnoreCase();
    String v = ic ? value.toLowerCase(Locale.ROOT) : value;
    return switch (s.getMatchPatternCase()) {
      case EXACT -> v.equals(ic ? s.getExact().toLowerCase(Locale.ROOT) : s.getExact());
      case PREFIX -> v.startsWith(ic ? s.getPrefix().toLowerCase(Locale.ROOT) : s.getPrefix());
      case SUFFIX -> v.endsWith(ic ? s.getSuffix().toLowerCase(Locale.ROOT) : s.getSuffix());
      case CONTAINS -> v.contains(ic ? s.getContains().toLowerCase(Locale.ROOT) : s.getContains());
      case SAFE_REGEX -> re2(s.getSafeRegex().getRegex()).matcher(value).matches();
      default -> throw new IllegalArgumentException("string matcher not modelled: " + s.getMatchPatternCase());
    };
  }

  private static boolean range(String value, long start, long end) {
    if (!value.matches("[+-]?[0-9]+")) {
      return false;
    }
    try {
      long v = Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
      return v >= start && v < end;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Result action(VirtualHost vh, Route r, Request req) {
    if (!r.hasRoute()) {
      throw new IllegalArgumentException("route action not modelled: " + r.getActionCase());
    }
    RouteAction a = r.getRoute();
    List<Target> clusters = new ArrayList<>();
    switch (a.getClusterSpecifierCase()) {
      case CLUSTER -> clusters.add(new Target(a.getCluster(), 1));
      case WEIGHTED_CLUSTERS -> {
        for (WeightedCluster.ClusterWeight w : a.getWeightedClusters().getClustersList()) {
          clusters.add(new Target(w.getName(), w.getWeight().getValue()));
        }
      }
      default -> throw new IllegalArgumentException("cluster specifier not modelled: " + a.getClusterSpecifierCase());
    }
    String path = pathOnly(req.path());
    String query = req.path().length() > path.length() ? req.path().substring(path.length()) : "";
    String newPath = path;
    if (!a.getPrefixRewrite().isEmpty()) {
      RouteMatch m = r.getMatch();
      newPath = switch (m.getPathSpecifierCase()) {
        case PREFIX -> a.getPrefixRewrite() + path.substring(m.getPrefix().length());
        case PATH_SEPARATED_PREFIX -> a.getPrefixRewrite() + path.substring(m.getPathSeparatedPrefix().length());
        default -> a.getPrefixRewrite(); // path, safe_regex: the matched path is the whole path
      };
    } else if (a.hasRegexRewrite()) {
      newPath = re2(a.getRegexRewrite().getPattern().getRegex()).matcher(path)
          .replaceAll(substitution(a.getRegexRewrite().getSubstitution()));
    }
    if (a.hasAutoHostRewrite() || a.hasHostRewriteHeader() || a.hasHostRewritePathRegex()) {
      throw new IllegalArgumentException("host rewrite not modelled: " + a.getHostRewriteSpecifierCase());
    }
    String authority = a.getHostRewriteLiteral().isEmpty() ? req.authority() : a.getHostRewriteLiteral();
    return new Result(vh.getName(), r.getName(), clusters, newPath + query, authority);
  }

  /** RE2 substitution ({@code \1}) in re2j's syntax ({@code $1}). */
  private static String substitution(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
        b.append('$').append(s.charAt(++i));
      } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
        b.append("\\\\");
        i++;
      } else if (c == '$') {
        b.append("\\$");
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** The path without query string and fragment. */
  static String pathOnly(String path) {
    int q = path.indexOf('?');
    int h = path.indexOf('#');
    int end = q < 0 ? h : h < 0 ? q : Math.min(q, h);
    return end < 0 ? path : path.substring(0, end);
  }

  /** Query parameters: the first value of each name, percent-decoded ("" for a bare name). */
  static Map<String, String> query(String path) {
    Map<String, String> out = new LinkedHashMap<>();
    int q = path.indexOf('?');
    if (q < 0) {
      return out;
    }
    String qs = path.substring(q + 1);
    int h = qs.indexOf('#');
    if (h >= 0) {
      qs = qs.substring(0, h);
    }
    for (String part : qs.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = decode(eq < 0 ? part : part.substring(0, eq));
      String v = eq < 0 ? "" : decode(part.substring(eq + 1));
      out.putIfAbsent(k, v);
    }
    return out;
  }

  private static String decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '%' && i + 2 < b.length && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
        out.write(hex(b[i + 1]) * 16 + hex(b[i + 2]));
        i += 2;
      } else {
        out.write(b[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte c) {
    return Character.digit((char) c, 16);
  }
}
