package io.appmeshxds.tracing.logs;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.data.accesslog.v3.ResponseFlags;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One JSON object per access-log entry: App Mesh's default fields ({@code start_time, method, path,
 * protocol, response_code, response_flags, bytes_received, bytes_sent, duration,
 * upstream_service_time, x_forwarded_for, user_agent, request_id, authority, upstream_host}), then
 * {@code trace_id}, {@code upstream_cluster}, {@code mesh} and {@code virtual_node} /
 * {@code virtual_gateway}. Missing values are {@code null}, as in Envoy's JSON format. TCP entries
 * carry the fields that apply to a connection and {@code "protocol":"TCP"}.
 *
 * <p>The event's timestamp is when the entry was logged: {@code start_time + duration}.
 */
final class EventFormatter {
  private EventFormatter() {}

  private static final DateTimeFormatter START_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  static LogEvent http(HTTPAccessLogEntry e, ProxyIdentity who, long nowMillis) {
    AccessLogCommon c = e.getCommonProperties();
    HTTPRequestProperties req = e.getRequest();
    HTTPResponseProperties resp = e.getResponse();
    Json j = new Json();
    j.str("start_time", startTime(c));
    j.str("method", req.getRequestMethodValue() == 0 ? null : req.getRequestMethod().name());
    j.str("path", !req.getOriginalPath().isEmpty() ? req.getOriginalPath() : nullIfEmpty(req.getPath()));
    j.str("protocol", protocol(e.getProtocolVersion()));
    j.num("response_code", resp.hasResponseCode() ? (Long) (long) resp.getResponseCode().getValue() : null);
    j.str("response_flags", flags(c.getResponseFlags()));
    j.num("bytes_received", req.getRequestBodyBytes());
    j.num("bytes_sent", resp.getResponseBodyBytes());
    j.num("duration", durationMillis(c));
    j.str("upstream_service_time", nullIfEmpty(resp.getResponseHeadersOrDefault("x-envoy-upstream-service-time", "")));
    j.str("x_forwarded_for", nullIfEmpty(req.getForwardedFor()));
    j.str("user_agent", nullIfEmpty(req.getUserAgent()));
    j.str("request_id", nullIfEmpty(req.getRequestId()));
    j.str("authority", nullIfEmpty(req.getAuthority()));
    j.str("upstream_host", address(c.hasUpstreamRemoteAddress() ? c.getUpstreamRemoteAddress() : null));
    j.str("trace_id", traceId(req.getRequestHeadersOrDefault("x-amzn-trace-id", ""),
        req.getRequestHeadersOrDefault("traceparent", "")));
    common(j, c, who);
    return new LogEvent(timestamp(c, nowMillis), j.end());
  }

  static LogEvent tcp(TCPAccessLogEntry e, ProxyIdentity who, long nowMillis) {
    AccessLogCommon c = e.getCommonProperties();
    Json j = new Json();
    j.str("start_time", startTime(c));
    j.str("protocol", "TCP");
    j.str("response_flags", flags(c.getResponseFlags()));
    j.num("bytes_received", e.getConnectionProperties().getReceivedBytes());
    j.num("bytes_sent", e.getConnectionProperties().getSentBytes());
    j.num("duration", durationMillis(c));
    j.str("downstream_remote_address", address(c.hasDownstreamRemoteAddress() ? c.getDownstreamRemoteAddress() : null));
    j.str("upstream_host", address(c.hasUpstreamRemoteAddress() ? c.getUpstreamRemoteAddress() : null));
    common(j, c, who);
    return new LogEvent(timestamp(c, nowMillis), j.end());
  }

  private static void common(Json j, AccessLogCommon c, ProxyIdentity who) {
    j.str("upstream_cluster", nullIfEmpty(c.getUpstreamCluster()));
    j.str("mesh", who.mesh());
    j.str(who.gateway() ? "virtual_gateway" : "virtual_node", who.name());
  }

  static long timestamp(AccessLogCommon c, long nowMillis) {
    if (!c.hasStartTime()) {
      return nowMillis;
    }
    Long d = durationMillis(c);
    return millis(c.getStartTime()) + (d == null ? 0 : d);
  }

  private static String startTime(AccessLogCommon c) {
    return c.hasStartTime() ? START_TIME.format(Instant.ofEpochMilli(millis(c.getStartTime()))) : null;
  }

  private static long millis(Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  private static Long durationMillis(AccessLogCommon c) {
    Duration d = c.hasDuration() ? c.getDuration() : c.hasTimeToLastDownstreamTxByte() ? c.getTimeToLastDownstreamTxByte()
        : null;
    return d == null ? null : d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
  }

  private static String protocol(HTTPAccessLogEntry.HTTPVersion v) {
    return switch (v) {
      case HTTP10 -> "HTTP/1.0";
      case HTTP11 -> "HTTP/1.1";
      case HTTP2 -> "HTTP/2";
      case HTTP3 -> "HTTP/3";
      default -> null;
    };
  }

  private static String address(Address a) {
    if (a == null) {
      return null;
    }
    if (a.hasSocketAddress()) {
      String host = a.getSocketAddress().getAddress();
      int port = a.getSocketAddress().getPortValue();
      return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
    if (a.hasPipe()) {
      return a.getPipe().getPath();
    }
    return null;
  }

  /** X-Ray's {@code Root=} of {@code x-amzn-trace-id}, else the trace id of a W3C {@code traceparent}. */
  static String traceId(String amzn, String traceparent) {
    if (!amzn.isEmpty()) {
      for (String part : amzn.split(";")) {
        String p = part.trim();
        if (p.regionMatches(true, 0, "Root=", 0, 5)) {
          return p.substring(5);
        }
      }
    }
    if (!traceparent.isEmpty()) {
      String[] p = traceparent.trim().split("-");
      if (p.length >= 3 && p[1].length() == 32) {
        return p[1];
      }
    }
    return null;
  }

  /** Envoy's short response flags ({@code %RESPONSE_FLAGS%}), comma-separated; {@code -} for none. */
  static String flags(ResponseFlags f) {
    StringBuilder b = new StringBuilder();
    flag(b, f.getFailedLocalHealthcheck(), "LH");
    flag(b, f.getNoHealthyUpstream(), "UH");
    flag(b, f.getUpstreamRequestTimeout(), "UT");
    flag(b, f.getLocalReset(), "LR");
    flag(b, f.getUpstreamRemoteReset(), "UR");
    flag(b, f.getUpstreamConnectionFailure(), "UF");
    flag(b, f.getUpstreamConnectionTermination(), "UC");
    flag(b, f.getUpstreamOverflow(), "UO");
    flag(b, f.getNoRouteFound(), "NR");
    flag(b, f.getDelayInjected(), "DI");
    flag(b, f.getFaultInjected(), "FI");
    flag(b, f.getRateLimited(), "RL");
    flag(b, f.hasUnauthorizedDetails(), "UAEX");
    flag(b, f.getRateLimitServiceError(), "RLSE");
    flag(b, f.getDownstreamConnectionTermination(), "DC");
    flag(b, f.getUpstreamRetryLimitExceeded(), "URX");
    flag(b, f.getStreamIdleTimeout(), "SI");
    flag(b, f.getInvalidEnvoyRequestHeaders(), "IH");
    flag(b, f.getDownstreamProtocolError(), "DPE");
    flag(b, f.getUpstreamMaxStreamDurationReached(), "UMSDR");
    flag(b, f.getResponseFromCacheFilter(), "RFCF");
    flag(b, f.getNoFilterConfigFound(), "NFCF");
    flag(b, f.getDurationTimeout(), "DT");
    flag(b, f.getUpstreamProtocolError(), "UPE");
    flag(b, f.getNoClusterFound(), "NC");
    flag(b, f.getOverloadManager(), "OM");
    flag(b, f.getDnsResolutionFailure(), "DF");
    flag(b, f.getDownstreamRemoteReset(), "DR");
    return b.length() == 0 ? "-" : b.toString();
  }

  private static void flag(StringBuilder b, boolean set, String code) {
    if (set) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(code);
    }
  }

  private static String nullIfEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** A minimal JSON object writer (field order as written). */
  static final class Json {
    private final StringBuilder b = new StringBuilder(512).append('{');

    void str(String k, String v) {
      key(k);
      if (v == null) {
        b.append("null");
      } else {
        quote(v);
      }
    }

    void num(String k, Long v) {
      key(k);
      b.append(v == null ? "null" : v.toString());
    }

    private void key(String k) {
      if (b.length() > 1) {
        b.append(',');
      }
      quote(k);
      b.append(':');
    }

    private void quote(String s) {
      b.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (c < 0x20 || c == 0x2028 || c == 0x2029) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      b.append('"');
    }

    String end() {
      return b.append('}').toString();
    }
  }
}
