package io.appmeshxds.gateway.plan;

import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.plan.AccessLogPlan;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.Defaults;
import io.appmeshxds.translator.plan.Direction;
import io.appmeshxds.translator.plan.ExtensionPlan;
import io.appmeshxds.translator.plan.FilterChainPlan;
import io.appmeshxds.translator.plan.ListenerPlan;
import io.appmeshxds.translator.plan.NetworkFilterPlan;
import io.appmeshxds.translator.plan.RouteConfigId;
import io.appmeshxds.translator.plan.RoutePlan;
import io.appmeshxds.translator.plan.TlsPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The socket listener of one VirtualGateway listener: {@code lds_ingress_0.0.0.0_<port>}, bound on
 * the port itself (no original_dst: gateway pods get no iptables rules), an HTTP connection manager
 * with stat prefix {@code ingress} ({@code ingress.<protocol>.<port>} when the gateway has several
 * listeners) and RDS {@code rds_ingress_http_<port>}; listener TLS in the
 * sidecar's shapes (STRICT: one TLS chain; PERMISSIVE: a TLS and a plaintext chain told apart by
 * the tls_inspector; DISABLED: one plain chain).
 */
final class GatewayListeners {
  private GatewayListeners() {}

  static ListenerPlan.Socket listener(VirtualGateway.Listener l, int listeners, AccessLogPlan log,
      List<ExtensionPlan> extensions) {
    long port = l.portMapping().port();
    NetworkFilterPlan.Http hcm = new NetworkFilterPlan.Http(
        Defaults.ingressStatPrefix(listeners, l.portMapping().protocol().name(), port),
        new RouteConfigId(Direction.INGRESS, port), log, extensions);
    String name = "ingress_" + l.portMapping().protocol() + "_" + port;
    VirtualGateway.ListenerTls tls = l.tls();
    List<FilterChainPlan> chains = new ArrayList<>();
    boolean inspector = false;
    if (tls == null || tls.mode() == Tls.Mode.DISABLED) {
      chains.add(new FilterChainPlan(name, null, List.of(), FilterChainPlan.Transport.ANY, null, hcm));
    } else if (tls.mode() == Tls.Mode.STRICT) {
      chains.add(new FilterChainPlan(name, null, List.of(), FilterChainPlan.Transport.ANY, downstream(tls), hcm));
    } else {
      inspector = true;
      chains.add(new FilterChainPlan(name + "_tls", null, List.of(), FilterChainPlan.Transport.TLS, downstream(tls), hcm));
      chains.add(new FilterChainPlan(name + "_plaintext", null, List.of(), FilterChainPlan.Transport.RAW, null, hcm));
    }
    return new ListenerPlan.Socket(Direction.INGRESS, port, false, inspector, chains);
  }

  /** Server TLS of a gateway listener (an ACM trust on a listener is rejected by the model, as App Mesh's API did). */
  static TlsPlan.Downstream downstream(VirtualGateway.ListenerTls tls) {
    var v = tls.validation();
    return TlsPlan.Downstream.of(tls.certificate(), v != null, v == null ? null : v.trust().file(),
        v == null ? null : v.trust().sds(), v == null ? null : v.subjectAlternativeNames());
  }

  /** Circuit breakers from a listener's connection pool; unlimited without one (App Mesh's default). */
  static ClusterPlan.CircuitBreakers limits(VirtualGateway.ConnectionPool pool) {
    long u = ClusterPlan.CircuitBreakers.UNLIMITED;
    if (pool == null) {
      return ClusterPlan.CircuitBreakers.unlimited();
    }
    if (pool.http() != null) {
      return new ClusterPlan.CircuitBreakers(pool.http().maxConnections(),
          pool.http().maxPendingRequests() == null ? u : pool.http().maxPendingRequests(), u, u);
    }
    if (pool.http2() != null) {
      return new ClusterPlan.CircuitBreakers(u, u, pool.http2().maxRequests(), u);
    }
    if (pool.grpc() != null) {
      return new ClusterPlan.CircuitBreakers(u, u, pool.grpc().maxRequests(), u);
    }
    return ClusterPlan.CircuitBreakers.unlimited();
  }

  /** The stricter of two limits, threshold by threshold. */
  static ClusterPlan.CircuitBreakers min(ClusterPlan.CircuitBreakers a, ClusterPlan.CircuitBreakers b) {
    return new ClusterPlan.CircuitBreakers(Math.min(a.maxConnections(), b.maxConnections()),
        Math.min(a.maxPendingRequests(), b.maxPendingRequests()), Math.min(a.maxRequests(), b.maxRequests()),
        Math.min(a.maxRetries(), b.maxRetries()));
  }

  /**
   * The health check filter of a listener, or null with the reason in {@code notes}. The gateway
   * answers {@code healthCheck.path} itself only when that hides no gateway route: no route on the
   * listener has a path condition that accepts the path. gRPC health checks and a health check on
   * another port are not answered (Envoy's filter answers plain HTTP on this listener).
   */
  static HealthCheckFilterPlan healthCheck(VirtualGateway.Listener l, List<RoutePlan> routes, List<String> notes) {
    VirtualGateway.HealthCheck hc = l.healthCheck();
    if (hc == null) {
      return null;
    }
    long port = l.portMapping().port();
    String at = "listener " + port + " health check";
    if (hc.protocol() == VirtualGateway.Protocol.grpc) {
      notes.add(at + " is not answered by the gateway: Envoy's health check filter answers HTTP, not the gRPC health protocol");
      return null;
    }
    if (hc.port() != null && hc.port() != port) {
      notes.add(at + " is not answered by the gateway: port " + hc.port() + " is not a gateway listener port");
      return null;
    }
    String path = hc.path() == null ? "/" : hc.path();
    for (RoutePlan r : routes) {
      if (Conditions.acceptsPath(r.match().pathKind(), r.match().path(), path)) {
        notes.add(at + " path " + path + " is not answered by the gateway: route " + r.name() + " ("
            + Composer.pathWords(r.match().pathKind(), r.match().path()) + ") would be hidden; requests to " + path
            + " are routed");
        return null;
      }
    }
    return new HealthCheckFilterPlan(path);
  }
}
