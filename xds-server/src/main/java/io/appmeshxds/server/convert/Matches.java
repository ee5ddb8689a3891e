package io.appmeshxds.server.convert;

import io.appmeshxds.translator.api.HeaderMatch;
import io.appmeshxds.translator.api.HeaderMatchMethod;
import io.appmeshxds.translator.api.HttpMethod;
import io.appmeshxds.translator.api.HttpPathMatch;
import io.appmeshxds.translator.api.QueryParameterMatch;
import io.appmeshxds.translator.re2.Re2Literal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** App Mesh match conditions as Gateway API match fields, each reported. */
final class Matches {
  private Matches() {}

  static final String REGEX_NOTE = "RegularExpression matches are implementation-specific in Gateway API "
      + "(Envoy-based implementations use RE2, as App Mesh did)";

  /** Where a match is reported: the object and the field path of the match block. */
  record At(LossReport report, String object, String field) {}

  /**
   * An HTTPRoute match from App Mesh's path, headers, query parameters and method (a route's or a
   * gateway route's: both have these four), each reported where it is not carried exactly.
   */
  static Map<String, Object> httpMatch(String prefix, HttpPathMatch path, List<HeaderMatch> headers,
      List<QueryParameterMatch> queries, HttpMethod method, At at) {
    Map<String, Object> match = new java.util.LinkedHashMap<>();
    match.put("path", path(prefix, path, at));
    List<Map<String, Object>> h = headers(headers, at, "headers");
    if (!h.isEmpty()) {
      match.put("headers", h);
    }
    List<Map<String, Object>> q = queries(queries, at);
    if (!q.isEmpty()) {
      match.put("queryParams", q);
    }
    String m = method(method, at);
    if (m != null) {
      match.put("method", m);
    }
    return match;
  }

  /**
   * An HTTP path match ({@code path.exact|regex} or {@code prefix}), or null for "every path" when
   * neither is set and {@code prefix} is null.
   */
  static Map<String, Object> path(String prefix, HttpPathMatch path, At at) {
    if (path != null && path.exact() != null) {
      at.report().exact(at.object(), at.field() + ".path.exact", "path: {type: Exact}");
      return typed("Exact", path.exact());
    }
    if (path != null && path.regex() != null) {
      at.report().approximated(at.object(), at.field() + ".path.regex", "path: {type: RegularExpression}; " + REGEX_NOTE);
      return typed("RegularExpression", path.regex());
    }
    String p = prefix == null ? "/" : prefix;
    if (p.equals("/")) {
      if (prefix != null) {
        at.report().exact(at.object(), at.field() + ".prefix", "path: {type: PathPrefix, value: /} (every path)");
      }
      return typed("PathPrefix", "/");
    }
    at.report().approximated(at.object(), at.field() + ".prefix", "path: {type: PathPrefix, value: " + p
        + "}; Gateway API's PathPrefix matches whole path segments"
        + (p.endsWith("/") ? " and ignores the trailing slash (" + p + " also matches " + p.substring(0, p.length() - 1) + ")"
            : " (" + p + " matches " + p + " and " + p + "/…, not " + p + "x as App Mesh's string prefix did)"));
    return typed("PathPrefix", p);
  }

  /** Header (HTTP) or metadata (gRPC) conditions; a condition Gateway API cannot express is dropped. */
  static List<Map<String, Object>> headers(List<HeaderMatch> in, At at, String listName) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      HeaderMatch h = in.get(i);
      String f = at.field() + "." + listName + "[" + i + "]";
      String name = h.name().toLowerCase(Locale.ROOT);
      if (h.inverted()) {
        at.report().dropped(at.object(), f + ".invert", "Gateway API has no negated match; the condition on " + name
            + " is left out, so the rule matches more requests");
        continue;
      }
      HeaderMatchMethod m = h.match();
      Map<String, Object> hm;
      if (m == null) {
        hm = header("RegularExpression", name, ".*");
        at.report().approximated(at.object(), f, "present → {type: RegularExpression, value: \".*\"}; " + REGEX_NOTE);
      } else if (m.exact() != null) {
        hm = header("Exact", name, m.exact());
        at.report().exact(at.object(), f + ".match.exact", "headers: {type: Exact}");
      } else if (m.regex() != null) {
        hm = header("RegularExpression", name, m.regex());
        at.report().approximated(at.object(), f + ".match.regex", "headers: {type: RegularExpression}; " + REGEX_NOTE);
      } else if (m.prefix() != null) {
        hm = header("RegularExpression", name, "^" + Re2Literal.of(m.prefix()) + ".*");
        at.report().approximated(at.object(), f + ".match.prefix",
            "no prefix header match in Gateway API: {type: RegularExpression, value: \"" + hm.get("value") + "\"}; " + REGEX_NOTE);
      } else if (m.suffix() != null) {
        hm = header("RegularExpression", name, ".*" + Re2Literal.of(m.suffix()) + "$");
        at.report().approximated(at.object(), f + ".match.suffix",
            "no suffix header match in Gateway API: {type: RegularExpression, value: \"" + hm.get("value") + "\"}; " + REGEX_NOTE);
      } else if (m.range() != null) {
        at.report().dropped(at.object(), f + ".match.range", "Gateway API has no numeric range match; the condition on "
            + name + " is left out, so the rule matches more requests");
        continue;
      } else {
        continue;
      }
      out.add(hm);
    }
    return out;
  }

  /** Query parameter conditions. */
  static List<Map<String, Object>> queries(List<QueryParameterMatch> in, At at) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      QueryParameterMatch q = in.get(i);
      String f = at.field() + ".queryParameters[" + i + "]";
      if (q.match() != null && q.match().exact() != null) {
        out.add(header("Exact", q.name(), q.match().exact()));
        at.report().exact(at.object(), f + ".match.exact", "queryParams: {type: Exact}");
      } else {
        out.add(header("RegularExpression", q.name(), ".*"));
        at.report().approximated(at.object(), f, "present → {type: RegularExpression, value: \".*\"}; " + REGEX_NOTE);
      }
    }
    return out;
  }

  static String method(HttpMethod m, At at) {
    if (m == null) {
      return null;
    }
    at.report().exact(at.object(), at.field() + ".method", "method: " + m.name());
    return m.name();
  }

  static Map<String, Object> typed(String type, String value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("value", value);
    return m;
  }

  private static Map<String, Object> header(String type, String name, String value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("name", name);
    m.put("value", value);
    return m;
  }

}
