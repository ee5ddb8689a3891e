package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.Duration;
import io.appmeshxds.translator.api.HeaderMatch;
import io.appmeshxds.translator.api.HeaderMatchMethod;
import io.appmeshxds.translator.api.HttpTimeout;
import io.appmeshxds.translator.api.QueryParameterMatch;
import io.appmeshxds.translator.api.VirtualRouter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** App Mesh route pieces in Envoy's terms: matches, retries, timeouts. */
public final class Routes {
  private Routes() {}

  private static final Comparator<RoutePlan.HeaderCondition> HEADER_ORDER =
      Comparator.comparing(RoutePlan.HeaderCondition::name)
          .thenComparingInt(h -> h.sortKey().kind())
          .thenComparing(h -> h.sortKey().value())
          .thenComparing(h -> h.sortKey().start())
          .thenComparing(RoutePlan.HeaderCondition::invert);

  /** An HTTP route match. */
  public static RoutePlan.Match http(VirtualRouter.HttpRouteMatch m) {
    RoutePlan.PathKind kind;
    String path;
    if (m.path() != null && m.path().exact() != null) {
      kind = RoutePlan.PathKind.EXACT;
      path = m.path().exact();
    } else if (m.path() != null && m.path().regex() != null) {
      kind = RoutePlan.PathKind.REGEX;
      path = m.path().regex();
    } else {
      kind = RoutePlan.PathKind.PREFIX;
      path = m.prefix() == null ? "/" : m.prefix();
    }
    List<RoutePlan.HeaderCondition> headers = new ArrayList<>(headers(m.headers()));
    if (m.method() != null) {
      headers.add(exact(":method", m.method().name()));
    }
    if (m.scheme() != null) {
      headers.add(exact(":scheme", m.scheme().name()));
    }
    headers.sort(HEADER_ORDER);
    return new RoutePlan.Match(kind, path, headers, queries(m.queryParameters()));
  }

  /** A gRPC route match: service and method become the path {@code /<service>/<method>}. */
  public static RoutePlan.Match grpc(VirtualRouter.GrpcRouteMatch m) {
    RoutePlan.PathKind kind = RoutePlan.PathKind.PREFIX;
    String path = "/";
    if (m.serviceName() != null && m.methodName() != null) {
      kind = RoutePlan.PathKind.EXACT;
      path = "/" + m.serviceName() + "/" + m.methodName();
    } else if (m.serviceName() != null) {
      path = "/" + m.serviceName() + "/";
    }
    List<RoutePlan.HeaderCondition> headers = new ArrayList<>(headers(m.metadata()));
    headers.sort(HEADER_ORDER);
    return new RoutePlan.Match(kind, path, headers, List.of());
  }

  static RoutePlan.HeaderCondition exact(String name, String value) {
    return new RoutePlan.HeaderCondition.Exact(name, value, false);
  }

  /**
   * Header conditions. Names are lower-cased (HTTP/2 and gRPC header names are lower case); the
   * list is sorted, because App Mesh ANDs the entries and Flagger writes them in random order.
   */
  public static List<RoutePlan.HeaderCondition> headers(List<HeaderMatch> in) {
    List<RoutePlan.HeaderCondition> out = new ArrayList<>();
    for (HeaderMatch h : in) {
      out.add(condition(h.name().toLowerCase(Locale.ROOT), h.match(), h.inverted()));
    }
    out.sort(HEADER_ORDER);
    return out;
  }

  /**
   * The condition one API match method means: no method is "present"; else the one member set.
   * Why it throws: the model rejects a method with no member or several, so a method that gets
   * here with none we know is a member added to {@link HeaderMatchMethod} and not translated; a
   * condition silently dropped would match more requests than the route says. RoutesTest sets
   * each member of the record in turn, so a new member fails a test first.
   */
  static RoutePlan.HeaderCondition condition(String name, HeaderMatchMethod m, boolean invert) {
    if (m == null) {
      return new RoutePlan.HeaderCondition.Present(name, invert);
    } else if (m.exact() != null) {
      return new RoutePlan.HeaderCondition.Exact(name, m.exact(), invert);
    } else if (m.prefix() != null) {
      return new RoutePlan.HeaderCondition.Prefix(name, m.prefix(), invert);
    } else if (m.suffix() != null) {
      return new RoutePlan.HeaderCondition.Suffix(name, m.suffix(), invert);
    } else if (m.regex() != null) {
      return new RoutePlan.HeaderCondition.Regex(name, m.regex(), invert);
    } else if (m.range() != null) {
      return new RoutePlan.HeaderCondition.Range(name, m.range().start(), m.range().end(), invert);
    }
    throw new IllegalStateException("header " + name + ": match method " + m + " has no member this planner translates");
  }

  /** Query parameter conditions, sorted by name. */
  public static List<RoutePlan.QueryCondition> queries(List<QueryParameterMatch> in) {
    List<RoutePlan.QueryCondition> out = new ArrayList<>();
    for (QueryParameterMatch q : in) {
      out.add(new RoutePlan.QueryCondition(q.name(), q.match() == null ? null : q.match().exact()));
    }
    out.sort(Comparator.comparing(RoutePlan.QueryCondition::name).thenComparing(q -> String.valueOf(q.exact())));
    return out;
  }

  /** Milliseconds of an optional duration, or the default. */
  public static long millis(Duration d, long dflt) {
    return d == null || d.value() == null || d.unit() == null ? dflt : d.toMillis();
  }

  /** Request timeout of an HTTP/gRPC timeout block (App Mesh default 15 s). */
  public static long requestTimeout(HttpTimeout t) {
    return t == null ? Defaults.REQUEST_TIMEOUT_MS : millis(t.perRequest(), Defaults.REQUEST_TIMEOUT_MS);
  }

  /** Idle timeout of an HTTP/gRPC timeout block (App Mesh default 300 s). */
  public static long idleTimeout(HttpTimeout t) {
    return t == null ? Defaults.IDLE_TIMEOUT_MS : millis(t.idle(), Defaults.IDLE_TIMEOUT_MS);
  }

  // Envoy retry_on tokens in a fixed order so output is stable.
  private static final List<String> ORDER = List.of("reset", "connect-failure", "refused-stream", "retriable-status-codes",
      "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable");

  /**
   * An HTTP retry policy. App Mesh's events as its API defines them: server-error = 500–508, 510,
   * 511 and reset; gateway-error = 502–504 and reset; client-error = 409; stream-error = refused
   * stream; connection-error = connect failure.
   */
  public static RoutePlan.Retry retry(VirtualRouter.HttpRetryPolicy p) {
    return retry(List.of(), p.httpRetryEvents(), p.tcpRetryEvents(), p.maxRetries(), p.perRetryTimeout());
  }

  /** A gRPC retry policy (gRPC events map to Envoy's same-named grpc retry_on tokens). */
  public static RoutePlan.Retry retry(VirtualRouter.GrpcRetryPolicy p) {
    return retry(p.grpcRetryEvents(), p.httpRetryEvents(), p.tcpRetryEvents(), p.maxRetries(), p.perRetryTimeout());
  }

  private static RoutePlan.Retry retry(List<VirtualRouter.GrpcRetryEvent> grpc, List<VirtualRouter.HttpRetryEvent> http,
      List<VirtualRouter.TcpRetryEvent> tcp, Long maxRetries, Duration perTry) {
    Set<String> on = new LinkedHashSet<>();
    Set<Integer> codes = new TreeSet<>();
    for (VirtualRouter.HttpRetryEvent e : http) {
      switch (e) {
        case SERVER_ERROR -> {
          on.add("reset");
          codes.addAll(List.of(500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511));
        }
        case GATEWAY_ERROR -> {
          on.add("reset");
          codes.addAll(List.of(502, 503, 504));
        }
        case CLIENT_ERROR -> codes.add(409);
        case STREAM_ERROR -> on.add("refused-stream");
      }
    }
    if (!tcp.isEmpty()) {
      on.add("connect-failure");
    }
    if (!codes.isEmpty()) {
      on.add("retriable-status-codes");
    }
    for (VirtualRouter.GrpcRetryEvent e : grpc) {
      on.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    List<String> ordered = ORDER.stream().filter(on::contains).toList();
    List<Integer> sortedCodes = new ArrayList<>(codes);
    // App Mesh's observed order lists the gateway codes before client-error's 409.
    sortedCodes.sort(Comparator.comparingInt(c -> c == 409 ? 1000 : c));
    return new RoutePlan.Retry(ordered, maxRetries == null ? 0 : maxRetries, perTry == null ? null : millis(perTry, 0),
        sortedCodes, true);
  }
}
