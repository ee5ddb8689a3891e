package io.appmeshxds.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.appmeshxds.gateway.EnvoyRouteEvaluator.Request;
import io.appmeshxds.gateway.EnvoyRouteEvaluator.Result;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The evaluator itself, on hand-written route configurations, against Envoy's documented rules. */
class EnvoyRouteEvaluatorTest {

  static RouteConfiguration parse(String json) {
    try {
      RouteConfiguration.Builder b = RouteConfiguration.newBuilder();
      JsonFormat.parser().merge(json, b);
      return b.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String vh(String name, String domains) {
    return """
        {"name": "%s", "domains": [%s], "routes": [{"name": "%s", "match": {"prefix": "/"}, "route": {"cluster": "%s"}}]}
        """.formatted(name, domains, name, name);
  }

  static String routeName(RouteConfiguration rc, Request r) {
    return EnvoyRouteEvaluator.route(rc, r).map(Result::route).orElse("404");
  }

  static final RouteConfiguration HOSTS = parse("{\"virtualHosts\": [" + String.join(",",
      vh("exact", "\"api.example.com\""),
      vh("suffix", "\"*.example.com\""),
      vh("longer-suffix", "\"*.b.example.com\""),
      vh("prefix", "\"api.*\""),
      vh("any", "\"*\"")) + "]}");

  @Test
  void virtualHostOrderIsExactThenSuffixThenPrefixThenAny() {
    assertThat(routeName(HOSTS, Request.get("api.example.com", "/"))).isEqualTo("exact");
    assertThat(routeName(HOSTS, Request.get("API.Example.COM", "/"))).as("case-insensitive").isEqualTo("exact");
    assertThat(routeName(HOSTS, Request.get("www.example.com", "/"))).isEqualTo("suffix");
    assertThat(routeName(HOSTS, Request.get("a.b.example.com", "/"))).as("longest suffix").isEqualTo("longer-suffix");
    assertThat(routeName(HOSTS, Request.get("api.other.org", "/"))).isEqualTo("prefix");
    assertThat(routeName(HOSTS, Request.get("example.com", "/"))).as("a wildcard needs one character").isEqualTo("any");
    assertThat(routeName(HOSTS, Request.get("other", "/"))).isEqualTo("any");
  }

  @Test
  void thePortIsPartOfTheHostUnlessIgnored() {
    assertThat(routeName(HOSTS, Request.get("api.example.com:8080", "/"))).as("prefix wildcard api.*").isEqualTo("prefix");
    RouteConfiguration ignoring = HOSTS.toBuilder().setIgnorePortInHostMatching(true).build();
    assertThat(routeName(ignoring, Request.get("api.example.com:8080", "/"))).isEqualTo("exact");
    RouteConfiguration noAny = parse("{\"virtualHosts\": [" + vh("exact", "\"api.example.com\"") + "]}");
    assertThat(EnvoyRouteEvaluator.route(noAny, Request.get("api.example.com:80", "/"))).isEmpty();
  }

  static final RouteConfiguration PATHS = parse("""
      {"virtualHosts": [{"name": "vh", "domains": ["*"], "routes": [
        {"name": "exact", "match": {"path": "/exact"}, "route": {"cluster": "c"}},
        {"name": "insensitive", "match": {"prefix": "/CI/", "caseSensitive": false}, "route": {"cluster": "c"}},
        {"name": "regex", "match": {"safeRegex": {"regex": "/r/[0-9]+"}}, "route": {"cluster": "c"}},
        {"name": "separated", "match": {"pathSeparatedPrefix": "/sep"}, "route": {"cluster": "c"}},
        {"name": "api", "match": {"prefix": "/api", "caseSensitive": true}, "route": {"cluster": "c"}},
        {"name": "root", "match": {"prefix": "/"}, "route": {"cluster": "c"}}
      ]}]}
      """);

  @Test
  void pathSpecifiers() {
    assertThat(routeName(PATHS, Request.get("h", "/exact"))).isEqualTo("exact");
    assertThat(routeName(PATHS, Request.get("h", "/exact?x=1"))).as("query ignored").isEqualTo("exact");
    assertThat(routeName(PATHS, Request.get("h", "/exact/"))).isEqualTo("root");
    assertThat(routeName(PATHS, Request.get("h", "/ci/x"))).isEqualTo("insensitive");
    assertThat(routeName(PATHS, Request.get("h", "/r/42"))).isEqualTo("regex");
    assertThat(routeName(PATHS, Request.get("h", "/r/42?q=a"))).isEqualTo("regex");
    assertThat(routeName(PATHS, Request.get("h", "/r/42x"))).as("full match only").isEqualTo("root");
    assertThat(routeName(PATHS, Request.get("h", "/sep"))).isEqualTo("separated");
    assertThat(routeName(PATHS, Request.get("h", "/sep/x"))).isEqualTo("separated");
    assertThat(routeName(PATHS, Request.get("h", "/separate"))).isEqualTo("root");
    assertThat(routeName(PATHS, Request.get("h", "/apix"))).as("a prefix is not a segment").isEqualTo("api");
    assertThat(routeName(PATHS, Request.get("h", "/API"))).as("case-sensitive").isEqualTo("root");
  }

  static final RouteConfiguration HEADERS = parse("""
      {"virtualHosts": [{"name": "vh", "domains": ["*"], "routes": [
        {"name": "exact", "match": {"prefix": "/exact", "headers": [{"name": "x", "stringMatch": {"exact": "v"}}]}, "route": {"cluster": "c"}},
        {"name": "ignore-case", "match": {"prefix": "/ic", "headers": [{"name": "x", "stringMatch": {"exact": "v", "ignoreCase": true}}]}, "route": {"cluster": "c"}},
        {"name": "prefix", "match": {"prefix": "/prefix", "headers": [{"name": "x", "stringMatch": {"prefix": "ab"}}]}, "route": {"cluster": "c"}},
        {"name": "suffix", "match": {"prefix": "/suffix", "headers": [{"name": "x", "stringMatch": {"suffix": "yz"}}]}, "route": {"cluster": "c"}},
        {"name": "contains", "match": {"prefix": "/contains", "headers": [{"name": "x", "stringMatch": {"contains": "mid"}}]}, "route": {"cluster": "c"}},
        {"name": "regex", "match": {"prefix": "/regex", "headers": [{"name": "user-agent", "stringMatch": {"safeRegex": {"regex": ".*(Firefox|curl).*"}}}]}, "route": {"cluster": "c"}},
        {"name": "legacy-regex", "match": {"prefix": "/legacy", "headers": [{"name": "x", "safeRegexMatch": {"regex": "curl"}}]}, "route": {"cluster": "c"}},
        {"name": "present", "match": {"prefix": "/present", "headers": [{"name": "x", "presentMatch": true}]}, "route": {"cluster": "c"}},
        {"name": "absent", "match": {"prefix": "/absent", "headers": [{"name": "x", "presentMatch": false}]}, "route": {"cluster": "c"}},
        {"name": "range", "match": {"prefix": "/range", "headers": [{"name": "x", "rangeMatch": {"start": "10", "end": "20"}}]}, "route": {"cluster": "c"}},
        {"name": "invert", "match": {"prefix": "/invert", "headers": [{"name": "x", "stringMatch": {"exact": "v"}, "invertMatch": true}]}, "route": {"cluster": "c"}},
        {"name": "invert-present", "match": {"prefix": "/not-present", "headers": [{"name": "x", "presentMatch": true, "invertMatch": true}]}, "route": {"cluster": "c"}},
        {"name": "missing-as-empty", "match": {"prefix": "/empty", "headers": [{"name": "x", "stringMatch": {"safeRegex": {"regex": "^$"}}, "treatMissingHeaderAsEmpty": true}]}, "route": {"cluster": "c"}},
        {"name": "method", "match": {"prefix": "/method", "headers": [{"name": ":method", "stringMatch": {"exact": "POST"}}]}, "route": {"cluster": "c"}},
        {"name": "authority", "match": {"prefix": "/authority", "headers": [{"name": ":authority", "stringMatch": {"safeRegex": {"regex": "(?i)a\\\\.com(:[0-9]+)?"}}}]}, "route": {"cluster": "c"}},
        {"name": "fallback", "match": {"prefix": "/"}, "route": {"cluster": "c"}}
      ]}]}
      """);

  static String h(String path, String name, String value) {
    Request r = Request.get("h", path);
    return routeName(HEADERS, value == null ? r : r.with(name, value));
  }

  @Test
  void headerMatchers() {
    assertThat(h("/exact", "x", "v")).isEqualTo("exact");
    assertThat(h("/exact", "x", "V")).isEqualTo("fallback");
    assertThat(h("/ic", "x", "V")).isEqualTo("ignore-case");
    assertThat(h("/prefix", "x", "abc")).isEqualTo("prefix");
    assertThat(h("/suffix", "x", "xyz")).isEqualTo("suffix");
    assertThat(h("/contains", "x", "amidst")).isEqualTo("contains");
    assertThat(h("/regex", "user-agent", "curl/8.5.0")).isEqualTo("regex");
    assertThat(h("/regex", "user-agent", "Mozilla/5.0 (X11) Chrome/120.0")).isEqualTo("fallback");
    assertThat(h("/legacy", "x", "curl/8")).as("safe_regex_match is a full match too").isEqualTo("fallback");
    assertThat(h("/legacy", "x", "curl")).isEqualTo("legacy-regex");
    assertThat(h("/present", "x", "")).isEqualTo("present");
    assertThat(h("/present", "x", null)).isEqualTo("fallback");
    assertThat(h("/absent", "x", null)).isEqualTo("absent");
    assertThat(h("/absent", "x", "1")).isEqualTo("fallback");
    assertThat(h("/not-present", "x", null)).isEqualTo("invert-present");
    assertThat(h("/empty", "x", null)).isEqualTo("missing-as-empty");
    assertThat(h("/method", ":method", null)).isEqualTo("fallback");
    assertThat(routeName(HEADERS, Request.get("h", "/method").method("POST"))).isEqualTo("method");
    assertThat(routeName(HEADERS, Request.get("A.com:8080", "/authority"))).isEqualTo("authority");
    assertThat(routeName(HEADERS, Request.get("a.com", "/authority"))).isEqualTo("authority");
    assertThat(routeName(HEADERS, Request.get("a.com.evil", "/authority"))).isEqualTo("fallback");
  }

  @Test
  void rangeEndIsExclusiveAndValuesMustBeIntegers() {
    assertThat(h("/range", "x", "10")).isEqualTo("range");
    assertThat(h("/range", "x", "+19")).isEqualTo("range");
    assertThat(h("/range", "x", "20")).isEqualTo("fallback");
    assertThat(h("/range", "x", "9")).isEqualTo("fallback");
    assertThat(h("/range", "x", "15.5")).isEqualTo("fallback");
    assertThat(h("/range", "x", "1x")).isEqualTo("fallback");
  }

  @Test
  void invertedValueMatcherNeedsTheHeader() {
    assertThat(h("/invert", "x", "w")).isEqualTo("invert");
    assertThat(h("/invert", "x", "v")).isEqualTo("fallback");
    assertThat(h("/invert", "x", null)).as("absent header: only present_match can match").isEqualTo("fallback");
  }

  static final RouteConfiguration QUERIES = parse("""
      {"virtualHosts": [{"name": "vh", "domains": ["*"], "routes": [
        {"name": "exact", "match": {"prefix": "/", "queryParameters": [{"name": "v", "stringMatch": {"exact": "a b"}}]}, "route": {"cluster": "c"}},
        {"name": "present", "match": {"prefix": "/", "queryParameters": [{"name": "debug", "presentMatch": true}]}, "route": {"cluster": "c"}},
        {"name": "fallback", "match": {"prefix": "/"}, "route": {"cluster": "c"}}
      ]}]}
      """);

  @Test
  void queryParameters() {
    assertThat(routeName(QUERIES, Request.get("h", "/x?v=a%20b"))).isEqualTo("exact");
    assertThat(routeName(QUERIES, Request.get("h", "/x?v=a%20b&v=c"))).as("first value").isEqualTo("exact");
    assertThat(routeName(QUERIES, Request.get("h", "/x?v=c&v=a%20b"))).isEqualTo("fallback");
    assertThat(routeName(QUERIES, Request.get("h", "/x?debug"))).isEqualTo("present");
    assertThat(routeName(QUERIES, Request.get("h", "/x?debug=1"))).isEqualTo("present");
    assertThat(routeName(QUERIES, Request.get("h", "/x"))).isEqualTo("fallback");
  }

  static final RouteConfiguration ACTIONS = parse("""
      {"virtualHosts": [{"name": "vh", "domains": ["*"], "routes": [
        {"name": "strip", "match": {"prefix": "/podinfo/"}, "route": {"cluster": "c", "prefixRewrite": "/", "hostRewriteLiteral": "podinfo.demo"}},
        {"name": "whole", "match": {"path": "/rewrite/path/blue"}, "route": {"cluster": "c", "prefixRewrite": "/blue"}},
        {"name": "regex-match", "match": {"safeRegex": {"regex": "/re/.*"}}, "route": {"cluster": "c", "prefixRewrite": "/fixed"}},
        {"name": "regex-rewrite", "match": {"prefix": "/v"}, "route": {"cluster": "c", "regexRewrite": {"pattern": {"regex": "^/v([0-9]+)/(.*)$"}, "substitution": "/\\\\2/v\\\\1"}}},
        {"name": "all", "match": {"prefix": "/all"}, "route": {"cluster": "c", "regexRewrite": {"pattern": {"regex": "^.*$"}, "substitution": "/x"}}},
        {"name": "split", "match": {"prefix": "/"}, "route": {"weightedClusters": {"clusters": [{"name": "canary", "weight": 10}, {"name": "primary", "weight": 90}]}}}
      ]}]}
      """);

  static Result act(String path) {
    Optional<Result> r = EnvoyRouteEvaluator.route(ACTIONS, Request.get("gw.example.com:8088", path));
    assertThat(r).isPresent();
    return r.get();
  }

  @Test
  void rewritesAndClusters() {
    assertThat(act("/podinfo/api/x?q=1")).satisfies(r -> {
      assertThat(r.path()).isEqualTo("/api/x?q=1");
      assertThat(r.authority()).isEqualTo("podinfo.demo");
      assertThat(r.weights()).containsExactly(java.util.Map.entry("c", 1L));
    });
    assertThat(act("/rewrite/path/blue?z").path()).as("path match: the whole path").isEqualTo("/blue?z");
    assertThat(act("/re/a/b").path()).as("regex match: the whole path").isEqualTo("/fixed");
    assertThat(act("/v2/items").path()).isEqualTo("/items/v2");
    assertThat(act("/all/the/things?k=v").path()).isEqualTo("/x?k=v");
    Result split = act("/other");
    assertThat(split.authority()).isEqualTo("gw.example.com:8088");
    assertThat(split.share("canary")).isEqualTo(0.1);
    assertThat(split.share("primary")).isEqualTo(0.9);
  }

  @Test
  void unmodelledFeaturesThrow() {
    RouteConfiguration redirect = parse("""
        {"virtualHosts": [{"name": "vh", "domains": ["*"], "routes": [
          {"name": "r", "match": {"prefix": "/"}, "redirect": {"pathRedirect": "/x"}}]}]}
        """);
    assertThatThrownBy(() -> EnvoyRouteEvaluator.route(redirect, Request.get("h", "/"))).isInstanceOf(IllegalArgumentException.class);
    RouteConfiguration fraction = parse("""
        {"virtualHosts": [{"name": "vh", "domains": ["*"], "routes": [
          {"name": "r", "match": {"prefix": "/", "runtimeFraction": {"defaultValue": {"numerator": 50}}}, "route": {"cluster": "c"}}]}]}
        """);
    assertThatThrownBy(() -> EnvoyRouteEvaluator.route(fraction, Request.get("h", "/"))).isInstanceOf(IllegalArgumentException.class);
  }
}
