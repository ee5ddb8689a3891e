package io.appmeshxds.translator.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.Dialect;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.junit.jupiter.api.Test;

/** A LOGICAL_DNS cluster for a host name (collectors, the access-log exporter). */
class LogicalDnsClusterTest {

  @Test
  void hostNameClusterWithHttp2PassesEnvoysRules() throws Exception {
    ClusterPlan p = new ClusterPlan(new ClusterId.Named("appmesh_xds_access_logs"), ClusterPlan.Type.LOGICAL_DNS,
        PortProtocol.grpc, 1000, "appmesh-xds.appmesh-system", 18001, null, null,
        ClusterPlan.CircuitBreakers.unlimited(), null);
    Cluster c = ClusterFactory.build(p, Dialect.ENVOY);

    assertThat(c.getName()).isEqualTo("appmesh_xds_access_logs");
    assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.LOGICAL_DNS);
    SocketAddress a = c.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
    assertThat(a.getAddress()).isEqualTo("appmesh-xds.appmesh-system");
    assertThat(a.getPortValue()).isEqualTo(18001);
    assertThat(c.getLoadAssignment().getClusterName()).isEqualTo("appmesh_xds_access_logs");
    assertThat(c.getTypedExtensionProtocolOptionsMap().get(ClusterFactory.HTTP_PROTOCOL_OPTIONS)
        .unpack(HttpProtocolOptions.class).getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
    assertThat(ProtoRules.check(c)).isEmpty();
  }
}
