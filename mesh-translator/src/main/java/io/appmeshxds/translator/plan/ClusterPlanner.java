package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.ConnectionPools;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.ResolvedNode;
import java.util.List;

/**
 * Cluster plans: backend (EDS, or a DNS cluster Envoy resolves), local app (STATIC) and pass-through
 * (ORIGINAL_DST) clusters.
 */
public final class ClusterPlanner {
  private ClusterPlanner() {}

  /** The target listener of a backend cluster, or null when the node or port is gone. */
  public static VirtualNode.Listener listener(MeshGraph mesh, ClusterId.Backend id) {
    ResolvedNode n = mesh.nodes().get(id.node());
    if (n == null) {
      return null;
    }
    for (VirtualNode.Listener l : n.node().spec().listeners()) {
      if (l.portMapping().port() == id.port()) {
        return l;
      }
    }
    return null;
  }

  /**
   * {@link #backend(MeshGraph, ClusterId.Backend, Tls.ClientPolicy, EndpointSource)}, memoized per
   * build: one plan (one object, translated once) for every proxy that reaches the cluster with the
   * same client policy and endpoint source.
   */
  public static ClusterPlan backend(MeshGraph mesh, ClusterId.Backend id, Tls.ClientPolicy policy, EndpointSource source,
      PlanContext ctx) {
    return ctx.memo(new ClusterKey(id, policy, source), () -> backend(mesh, id, policy, source));
  }

  /** Memo key of a backend cluster's plan. */
  private record ClusterKey(ClusterId.Backend id, Tls.ClientPolicy policy, EndpointSource source) {
  }

  /**
   * A backend cluster: HTTP/2 for http2 and grpc, the target listener's health check and outlier
   * detection (App Mesh configured both on the clients' clusters), unlimited circuit breakers (App
   * Mesh's default), and client TLS. Its endpoints: for an Envoy proxy ({@link
   * EndpointSource#ENVOY_DNS}) and a DNS-discovered target, the hostname exactly as written (a
   * trailing dot kept) on the listener's port, resolved by Envoy ({@link #dnsType}); otherwise EDS.
   *
   * @param policy the client policy that applies (the backend's own, else the node's defaults), or null
   * @param source who asks; proxyless gRPC clients get a plain EDS cluster (no health checks, no TLS)
   */
  public static ClusterPlan backend(MeshGraph mesh, ClusterId.Backend id, Tls.ClientPolicy policy, EndpointSource source) {
    boolean proxyless = source == EndpointSource.PROXYLESS;
    VirtualNode.Listener l = listener(mesh, id);
    ResolvedNode target = mesh.nodes().get(id.node());
    ClusterPlan.HealthCheck hc = null;
    ClusterPlan.Outlier od = null;
    TlsPlan.Upstream tls = null;
    if (l != null && !proxyless) {
      // Cloud Map nodes: service.namespace, as App Mesh's health checks and TLS names used it.
      String host = EndpointPlanner.discoveryName(target.node());
      if (l.healthCheck() != null) {
        var h = l.healthCheck();
        hc = new ClusterPlan.HealthCheck(h.protocol(), h.intervalMillis(), h.timeoutMillis(), h.healthyThreshold(),
            h.unhealthyThreshold(), h.protocol() == PortProtocol.http || h.protocol() == PortProtocol.http2
                ? (h.path() == null ? "/" : h.path()) : null,
            host == null || h.protocol() == PortProtocol.tcp ? null
                : healthCheckAuthority(host, h.port() != null ? h.port() : l.portMapping().port()));
      }
      if (l.outlierDetection() != null) {
        var o = l.outlierDetection();
        od = new ClusterPlan.Outlier(o.maxServerErrors(), o.interval().toMillis(), o.baseEjectionDuration().toMillis(),
            o.maxEjectionPercent());
      }
      tls = upstreamTls(policy, l, id.port(), host);
    }
    VirtualNode.Dns dns = l == null || source != EndpointSource.ENVOY_DNS ? null : dns(target.node());
    if (dns != null) {
      return new ClusterPlan(id, dnsType(dns), id.protocol(), Defaults.CONNECT_TIMEOUT_MS, dns.hostname(), id.port(), hc,
          od, ClusterPlan.CircuitBreakers.unlimited(), tls,
          new ClusterPlan.Dns(ipPreference(mesh), EndpointPlanner.healthCheckPort(l)));
    }
    return new ClusterPlan(id, ClusterPlan.Type.EDS, id.protocol(), Defaults.CONNECT_TIMEOUT_MS, null, 0, hc, od,
        ClusterPlan.CircuitBreakers.unlimited(), tls);
  }

  /** {@code serviceDiscovery.dns} with a hostname, or null. */
  static VirtualNode.Dns dns(VirtualNode vn) {
    var sd = vn.spec().serviceDiscovery();
    return sd == null || sd.dns() == null || sd.dns().hostname() == null || sd.dns().hostname().isEmpty() ? null : sd.dns();
  }

  /**
   * App Mesh's cluster type for DNS discovery: {@code LOADBALANCER} (the default) is logical DNS,
   * one address at a time (a Service's ClusterIP, a load balancer's name); {@code ENDPOINTS} is
   * strict DNS, every address the name resolves to (a headless Service's pods). An IP literal gets
   * the same type: App Mesh did not special-case it, and Envoy "resolves" a literal to itself.
   */
  static ClusterPlan.Type dnsType(VirtualNode.Dns dns) {
    return dns.responseType() == VirtualNode.DnsResponseType.ENDPOINTS ? ClusterPlan.Type.STRICT_DNS
        : ClusterPlan.Type.LOGICAL_DNS;
  }

  /** The mesh's IP preference, or null. A change to the Mesh rebuilds every plan, so reading it here is safe. */
  private static Mesh.IpPreference ipPreference(MeshGraph mesh) {
    Mesh m = mesh.mesh();
    return m == null || m.spec().meshServiceDiscovery() == null ? null : m.spec().meshServiceDiscovery().ipPreference();
  }

  /**
   * The Host (HTTP) or {@code :authority} (gRPC) of a health check request: the node's discovery
   * host name and the port checked, {@code <host>:<port>} as App Mesh's config dump shows it (an
   * IPv6 literal in brackets). gRPC: no public evidence; the same authority, so both protocols
   * name the server the same way.
   */
  static String healthCheckAuthority(String host, long port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Client TLS, as App Mesh decided it: an enforced client policy covering the port wins (with no
   * SANs, the server certificate must carry the target's DNS hostname; an ACM trust is its CAs'
   * certificates); else, when the server listener terminates TLS, the client negotiates TLS,
   * validating the server only when its certificate is from ACM (against that certificate's root).
   */
  static TlsPlan.Upstream upstreamTls(Tls.ClientPolicy policy, VirtualNode.Listener l, long port, String host) {
    // RFC 6066: a literal IP address is not a valid server_name; send no SNI for IP-literal targets.
    String sni = host == null || EndpointPlanner.isIpLiteral(host) ? null : host;
    if (policy != null && policy.tls() != null && policy.tls().enforced() && policy.tls().appliesTo(port)) {
      Tls.ClientPolicyTls t = policy.tls();
      TlsPlan.Validation v = null;
      if (t.validation() != null && t.validation().trust() != null) {
        Tls.Trust trust = t.validation().trust();
        List<String> sans = t.validation().subjectAlternativeNames() == null || t.validation().subjectAlternativeNames().match() == null
            ? List.of() : t.validation().subjectAlternativeNames().match().exact();
        if (sans.isEmpty() && host != null) {
          // App Mesh API (TlsValidationContext.subjectAlternativeNames): without SANs on the
          // originating side, the server certificate must match the target's service discovery name.
          sans = List.of(host);
        }
        v = new TlsPlan.Validation(trust.file() == null ? null : trust.file().certificateChain(),
            trust.sds() == null ? null : trust.sds().secretName(),
            trust.acm() == null ? List.of() : trust.acm().certificateAuthorityARNs(), null, sans);
      }
      return new TlsPlan.Upstream(sni, v, certificate(t.certificate()));
    }
    if (l.tls() != null && l.tls().mode() != Tls.Mode.DISABLED) {
      if (l.tls().certificate() != null && l.tls().certificate().acm() != null) {
        // App Mesh (UG tls.md, "Without client policies"): a server with an ACM certificate makes
        // its clients negotiate TLS and validate the certificate against the root CA it chains up
        // to; with no SANs on the client, the certificate must match the server's discovery name.
        return new TlsPlan.Upstream(sni, new TlsPlan.Validation(null, null, List.of(),
            l.tls().certificate().acm().certificateARN(), host == null ? List.of() : List.of(host)), null);
      }
      return new TlsPlan.Upstream(sni, null, null);
    }
    return null;
  }

  static TlsPlan.Certificate certificate(Tls.ClientCertificate c) {
    if (c == null) {
      return null;
    }
    if (c.file() != null) {
      return new TlsPlan.Certificate(c.file().certificateChain(), c.file().privateKey(), null);
    }
    return c.sds() == null ? null : new TlsPlan.Certificate(null, null, c.sds().secretName());
  }

  /** The local app cluster behind a node listener: 127.0.0.1:port; the connection pool sets its limits. */
  public static ClusterPlan local(String mesh, String node, VirtualNode.Listener l) {
    PortProtocol p = l.portMapping().protocol();
    ClusterPlan.CircuitBreakers cb = ClusterPlan.CircuitBreakers.unlimited();
    VirtualNode.ConnectionPool pool = l.connectionPool();
    if (pool != null) {
      long u = ClusterPlan.CircuitBreakers.UNLIMITED;
      if (pool.tcp() != null) {
        cb = new ClusterPlan.CircuitBreakers(pool.tcp().maxConnections(), u, u, u);
      } else if (pool.http() != null) {
        ConnectionPools.Http h = pool.http();
        cb = new ClusterPlan.CircuitBreakers(h.maxConnections(), h.maxPendingRequests() == null ? u : h.maxPendingRequests(), u, u);
      } else if (pool.http2() != null) {
        cb = new ClusterPlan.CircuitBreakers(u, u, pool.http2().maxRequests(), u);
      } else if (pool.grpc() != null) {
        cb = new ClusterPlan.CircuitBreakers(u, u, pool.grpc().maxRequests(), u);
      }
    }
    long port = l.portMapping().port();
    return new ClusterPlan(new ClusterId.Local(mesh, node, p, port), ClusterPlan.Type.STATIC, p,
        Defaults.LOCAL_CONNECT_TIMEOUT_MS, "127.0.0.1", port, null, null, cb, null);
  }

  /** A pass-through cluster to the original destination. */
  public static ClusterPlan passthrough(ClusterId id) {
    return new ClusterPlan(id, ClusterPlan.Type.ORIGINAL_DST, PortProtocol.tcp, Defaults.CONNECT_TIMEOUT_MS, null, 0,
        null, null, ClusterPlan.CircuitBreakers.unlimited(), null);
  }
}
