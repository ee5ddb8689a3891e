package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.PortProtocol;

/**
 * A cluster.
 *
 * @param id identity (and name)
 * @param type EDS (backends), STATIC (the local app), ORIGINAL_DST (pass-through), LOGICAL_DNS (a host name
 *     Envoy resolves itself, e.g. a collector or the access-log exporter)
 * @param protocol upstream protocol (http2 and grpc get HTTP/2)
 * @param connectTimeoutMs connect timeout
 * @param staticAddress address of a STATIC cluster (an IP) or host name of a LOGICAL_DNS cluster, or null
 * @param staticPort port of a STATIC or LOGICAL_DNS cluster
 * @param healthCheck active health check, or null
 * @param outlierDetection outlier detection, or null
 * @param circuitBreakers thresholds
 * @param tls client TLS, or null
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
    TlsPlan.Upstream tls) {

  /** Discovery type. */
  public enum Type {
    EDS,
    STATIC,
    ORIGINAL_DST,
    /** One host name, resolved by Envoy; connections go to the first address it answers. */
    LOGICAL_DNS
  }

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
