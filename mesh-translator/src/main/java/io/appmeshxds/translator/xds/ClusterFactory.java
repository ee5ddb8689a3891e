package io.appmeshxds.translator.xds;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.EndpointPlan;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.v3.CodecClientType;
import java.util.List;

/** Clusters. */
final class ClusterFactory {
  private ClusterFactory() {}

  static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  static Cluster build(ClusterPlan p, Dialect d) {
    Cluster.Builder b = Cluster.newBuilder()
        .setName(Names.cluster(p.id()))
        .setConnectTimeout(Protos.millis(p.connectTimeoutMs()));
    switch (p.type()) {
      case EDS -> b.setType(Cluster.DiscoveryType.EDS)
          .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(Protos.ads()))
          .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
      case STATIC -> b.setType(Cluster.DiscoveryType.STATIC)
          .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
          .setLoadAssignment(EndpointFactory.build(Names.cluster(p.id()), List.of(new EndpointPlan.Locality("",
              List.of(new EndpointPlan.Address(p.staticAddress(), p.staticPort(), null))))));
      case ORIGINAL_DST -> b.setType(Cluster.DiscoveryType.ORIGINAL_DST).setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
      case LOGICAL_DNS, STRICT_DNS -> dns(b, p);
    }
    if (d.proxyless()) {
      return b.build(); // gRPC clients use the cluster's name, type and EDS config only.
    }
    if (p.type() == ClusterPlan.Type.EDS) {
      // App Mesh's EDS backend clusters had drain_connections_on_host_removal (v3's name:
      // ignore_health_on_host_removal): an endpoint removed from discovery stops taking requests
      // at once, even while its active health check still passes.
      b.setIgnoreHealthOnHostRemoval(true);
    }
    if (p.protocol() == PortProtocol.http2 || p.protocol() == PortProtocol.grpc) {
      b.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Protos.pack(HttpProtocolOptions.newBuilder()
          .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
              .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
          .build()));
    }
    ClusterPlan.CircuitBreakers cb = p.circuitBreakers();
    if (cb != null) {
      b.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(CircuitBreakers.Thresholds.newBuilder()
          .setPriority(RoutingPriority.DEFAULT)
          .setMaxConnections(Protos.u32((int) cb.maxConnections()))
          .setMaxPendingRequests(Protos.u32((int) cb.maxPendingRequests()))
          .setMaxRequests(Protos.u32((int) cb.maxRequests()))
          .setMaxRetries(Protos.u32((int) cb.maxRetries()))));
    }
    if (p.healthCheck() != null) {
      b.addHealthChecks(healthCheck(p.healthCheck()));
    }
    if (p.outlierDetection() != null) {
      ClusterPlan.Outlier o = p.outlierDetection();
      b.setOutlierDetection(OutlierDetection.newBuilder()
          .setConsecutive5Xx(Protos.u32((int) o.consecutive5xx()))
          .setInterval(Protos.millis(o.intervalMs()))
          .setBaseEjectionTime(Protos.millis(o.baseEjectionMs()))
          .setMaxEjectionPercent(Protos.u32((int) o.maxEjectionPercent())));
    }
    if (p.tls() != null) {
      b.setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
          .setTypedConfig(Protos.pack(TlsFactory.upstream(p.tls()))));
    }
    return b.build();
  }

  /**
   * A cluster Envoy resolves: one endpoint, the host name as planned (App Mesh kept a trailing dot)
   * and the port; a health check's own port on the endpoint; the lookup family only when the mesh
   * sets an IP preference (with none, App Mesh's behaviour, "IPv6 first, then IPv4", is Envoy's
   * default {@code AUTO}).
   */
  private static void dns(Cluster.Builder b, ClusterPlan p) {
    b.setType(p.type() == ClusterPlan.Type.STRICT_DNS ? Cluster.DiscoveryType.STRICT_DNS : Cluster.DiscoveryType.LOGICAL_DNS)
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
    ClusterPlan.Dns dns = p.dns();
    b.setLoadAssignment(EndpointFactory.build(Names.cluster(p.id()), List.of(new EndpointPlan.Locality("",
        List.of(new EndpointPlan.Address(p.staticAddress(), p.staticPort(), dns == null ? null : dns.healthCheckPort()))))));
    if (dns != null && dns.ipPreference() != null) {
      b.setDnsLookupFamily(switch (dns.ipPreference()) {
        case IPv4_ONLY -> Cluster.DnsLookupFamily.V4_ONLY;
        case IPv6_ONLY -> Cluster.DnsLookupFamily.V6_ONLY;
      });
    }
  }

  static HealthCheck healthCheck(ClusterPlan.HealthCheck h) {
    HealthCheck.Builder b = HealthCheck.newBuilder()
        .setTimeout(Protos.millis(h.timeoutMs()))
        .setInterval(Protos.millis(h.intervalMs()))
        .setHealthyThreshold(Protos.u32((int) h.healthyThreshold()))
        .setUnhealthyThreshold(Protos.u32((int) h.unhealthyThreshold()));
    switch (h.protocol()) {
      case http, http2 -> {
        HealthCheck.HttpHealthCheck.Builder hh = HealthCheck.HttpHealthCheck.newBuilder().setPath(h.path())
            .setMethod(RequestMethod.GET);
        if (h.host() != null) {
          hh.setHost(h.host());
        }
        if (h.protocol() == PortProtocol.http2) {
          hh.setCodecClientType(CodecClientType.HTTP2);
        }
        b.setHttpHealthCheck(hh);
      }
      case grpc -> {
        HealthCheck.GrpcHealthCheck.Builder g = HealthCheck.GrpcHealthCheck.newBuilder();
        if (h.host() != null) {
          g.setAuthority(h.host());
        }
        b.setGrpcHealthCheck(g);
      }
      case tcp -> b.setTcpHealthCheck(HealthCheck.TcpHealthCheck.getDefaultInstance());
    }
    return b.build();
  }
}
