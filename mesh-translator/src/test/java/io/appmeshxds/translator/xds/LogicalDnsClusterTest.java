package io.appmeshxds.translator.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A LOGICAL_DNS cluster (e.g. a tracing collector): the proxy resolves the host; Envoy's rules hold. */
class LogicalDnsClusterTest {

  @Test
  void hostNameClusterWithEnvoyDefaultBreakersAndHttp2() {
    ClusterPlan c = new ClusterPlan(new ClusterId.Named("collector"), ClusterPlan.Type.LOGICAL_DNS, PortProtocol.grpc,
        1000, "otel-collector.observability", 4317, null, null, null, null);
    ProxyPlan plan = new ProxyPlan(NodeKey.sidecar("m", "a_demo"), List.of(), List.of(), List.of(c), List.of(), List.of());
    XdsResources r = new XdsTranslator().translate(plan);
    Cluster cluster = (Cluster) XdsTranslator.find(r, XdsResources.Type.CLUSTER, "collector");
    assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.LOGICAL_DNS);
    assertThat(cluster.hasCircuitBreakers()).isFalse();
    assertThat(cluster.getLoadAssignment().getClusterName()).isEqualTo("collector");
    var address = cluster.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
    assertThat(address.getAddress()).isEqualTo("otel-collector.observability");
    assertThat(address.getPortValue()).isEqualTo(4317);
    assertThat(cluster.getTypedExtensionProtocolOptionsMap()).containsKey(ClusterFactory.HTTP_PROTOCOL_OPTIONS);
    assertThat(XdsChecks.check(r)).isEmpty();
  }
}
