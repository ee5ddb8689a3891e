package io.appmeshxds.translator.xds;

import io.appmeshxds.translator.plan.EndpointPlan;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.List;

/**
 * Cluster load assignments. Every locality is set (grpc-js and C-core reject one without it) and
 * carries a load-balancing weight of at least 1 (its endpoint count): gRPC clients silently drop
 * localities without one.
 */
final class EndpointFactory {
  private EndpointFactory() {}

  static ClusterLoadAssignment build(EndpointPlan p) {
    return build(Names.cluster(p.cluster()), p.localities());
  }

  static ClusterLoadAssignment build(String cluster, List<EndpointPlan.Locality> localities) {
    ClusterLoadAssignment.Builder b = ClusterLoadAssignment.newBuilder().setClusterName(cluster);
    for (EndpointPlan.Locality loc : localities) {
      LocalityLbEndpoints.Builder l = LocalityLbEndpoints.newBuilder()
          .setLoadBalancingWeight(Protos.u32(Math.max(1, loc.endpoints().size())));
      // Always present, even empty: grpc-js and gRPC C-core reject a LocalityLbEndpoints without one.
      l.setLocality(loc.zone().isEmpty() ? Locality.getDefaultInstance() : Locality.newBuilder().setZone(loc.zone()).build());
      for (EndpointPlan.Address a : loc.endpoints()) {
        Endpoint.Builder e = Endpoint.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
            SocketAddress.newBuilder().setAddress(a.ip()).setPortValue((int) a.port())));
        if (a.healthCheckPort() != null) {
          e.setHealthCheckConfig(Endpoint.HealthCheckConfig.newBuilder().setPortValue(a.healthCheckPort().intValue()));
        }
        l.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(e));
      }
      b.addEndpoints(l);
    }
    return b.build();
  }
}
