package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.PortProtocol;

/**
 * A cluster.
 *
 * @param id identity (and name)
 * @param type EDS (backends with per-pod endpoints, proxyless clients), STATIC (the local app), ORIGINAL_DST
 *     (pass-through), LOGICAL_DNS and STRICT_DNS (a host name the proxy resolves itself: a DNS-discovered
 *     backend as App Mesh served it, a tracing collector)
 * @param protocol upstream protocol (http2 and grpc get HTTP/2)
 * @param connectTimeoutMs connect timeout
 * @param staticAddress address of a STATIC cluster (an IP) or host name of a DNS cluster, or null
 * @param staticPort port of a STATIC or DNS cluster
 * @param healthCheck active health check, or null
 * @param outlierDetection outlier detection, or null
 * @param circuitBreakers thresholds, or null for Envoy's defaults
 * @param tls client TLS, or null
 * @param dns how the proxy resolves a DNS backend's host name (lookup family, health-check port), or null
 */
public record ClusterPlan(
    ClusterId id,
    Type type,
    PortProtocol protocol,
    long connectTimeoutMs,
    String staticAddress,
    long staticPort,
    HealthCheck healthCheck,
    Outlier outlierDetection,
    CircuitBreakers circuitBreakers,
    TlsPlan.Upstream tls,
    Dns dns) {

  /** A cluster without DNS settings (every kind but a DNS-discovered backend). */
  public ClusterPlan(ClusterId id, Type type, PortProtocol protocol, long connectTimeoutMs, String staticAddress,
      long staticPort, HealthCheck healthCheck, Outlier outlierDetection, CircuitBreakers circuitBreakers,
      TlsPlan.Upstream tls) {
    this(id, type, protocol, connectTimeoutMs, staticAddress, staticPort, healthCheck, outlierDetection, circuitBreakers,
        tls, null);
  }

  /** This cluster with other circuit breaker thresholds. */
  public ClusterPlan withCircuitBreakers(CircuitBreakers limits) {
    return new ClusterPlan(id, type, protocol, connectTimeoutMs, staticAddress, staticPort, healthCheck, outlierDetection,
        limits, tls, dns);
  }

  /** Whether the proxy resolves this cluster's host name itself. */
  public boolean resolvedByProxy() {
    return type == Type.LOGICAL_DNS || type == Type.STRICT_DNS;
  }

  /** Discovery type. */
  public enum Type {
    EDS,
    STATIC,
    ORIGINAL_DST,
    /**
     * Envoy resolves {@code staticAddress} and connects to the first answer, re-resolving
     * periodically. Why: collectors behind a Kubernetes Service have one stable name and address;
     * the proxy, not the control plane, should resolve it.
     */
    LOGICAL_DNS,
    /**
     * Envoy resolves {@code staticAddress} and balances over every answer, re-resolving
     * periodically: App Mesh's cluster for {@code serviceDiscovery.dns.responseType: ENDPOINTS}.
     */
    STRICT_DNS
  }

  /**
   * DNS settings of a backend whose host name the proxy resolves.
   *
   * @param ipPreference the mesh's {@code meshServiceDiscovery.ipPreference} (Envoy's
   *     {@code dns_lookup_family}), or null: no preference, which in App Mesh meant "IPv6 first, then
   *     IPv4", Envoy's own default ({@code AUTO})
   * @param healthCheckPort the health check's own port when it differs from the listener's, or null
   */
  public record Dns(Mesh.IpPreference ipPreference, Long healthCheckPort) {}

  /** Active health check from a VirtualNode (or VirtualGateway) listener. */
  public record HealthCheck(PortProtocol protocol, long intervalMs, long timeoutMs, long healthyThreshold,
      long unhealthyThreshold, String path, String host) {}

  /** Outlier detection. */
  public record Outlier(long consecutive5xx, long intervalMs, long baseEjectionMs, long maxEjectionPercent) {}

  /** Circuit breaker thresholds (App Mesh's default is "infinite": 2147483647). */
  public record CircuitBreakers(long maxConnections, long maxPendingRequests, long maxRequests, long maxRetries) {
    public static final long UNLIMITED = 2147483647L;

    public static CircuitBreakers unlimited() {
      return new CircuitBreakers(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED);
    }
  }
}
