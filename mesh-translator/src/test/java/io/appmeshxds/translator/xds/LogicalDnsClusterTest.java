package io.appmeshxds.translator.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clusters the proxy resolves itself: a tracing collector, and DNS-discovered backends as App Mesh
 * served them (LOGICAL_DNS or STRICT_DNS on the hostname as written, the mesh's IP preference as the
 * lookup family, a health check's own port on the endpoint). Envoy's rules hold.
 */
class LogicalDnsClusterTest {
  private static final ClusterId.Backend ID = new ClusterId.Backend("m", "web_demo", PortProtocol.http, 8080);

  private static Cluster translate(ClusterPlan c) {
    ProxyPlan plan = new ProxyPlan(NodeKey.sidecar("m", "a_demo"), List.of(), List.of(), List.of(c), List.of(), List.of());
    XdsResources r = new XdsTranslator().translate(plan);
    assertThat(XdsChecks.check(r)).isEmpty();
    return (Cluster) XdsTranslator.find(r, XdsResources.Type.CLUSTER, Names.cluster(c.id()));
  }

  private static ClusterPlan backend(ClusterPlan.Type type, String host, ClusterPlan.Dns dns) {
    return new ClusterPlan(ID, type, PortProtocol.http, 1000, host, 8080, null, null, ClusterPlan.CircuitBreakers.unlimited(),
        null, dns);
  }

  @Test
  void backendAsAppMeshServedIt() {
    Cluster c = translate(backend(ClusterPlan.Type.LOGICAL_DNS, "app-100030741-canary.prod.svc.cluster.local.",
        new ClusterPlan.Dns(null, null)));
    assertThat(c.getName()).isEqualTo("cds_egress_m_web_demo_http_8080");
    assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.LOGICAL_DNS);
    assertThat(c.getConnectTimeout().getSeconds()).isEqualTo(1);
    assertThat(c.getCircuitBreakers().getThresholds(0).getMaxRequests().getValue()).isEqualTo(2147483647);
    assertThat(c.hasEdsClusterConfig()).isFalse();
    // No preference: App Mesh's "IPv6 first, then IPv4" is Envoy's default (AUTO), left unset.
    assertThat(c.getDnsLookupFamily()).isEqualTo(Cluster.DnsLookupFamily.AUTO);
    assertThat(c.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    assertThat(c.getLoadAssignment().getEndpointsCount()).isEqualTo(1);
    assertThat(c.getLoadAssignment().getEndpoints(0).getLbEndpointsCount()).isEqualTo(1);
    var e = c.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint();
    assertThat(e.getAddress().getSocketAddress().getAddress()).isEqualTo("app-100030741-canary.prod.svc.cluster.local.");
    assertThat(e.getAddress().getSocketAddress().getPortValue()).isEqualTo(8080);
    assertThat(e.hasHealthCheckConfig()).isFalse();
  }

  @Test
  void endpointsResponseTypeIsStrictDnsAndTheIpPreferenceIsTheLookupFamily() {
    Cluster v4 = translate(backend(ClusterPlan.Type.STRICT_DNS, "headless.demo.svc.cluster.local",
        new ClusterPlan.Dns(Mesh.IpPreference.IPv4_ONLY, null)));
    assertThat(v4.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
    assertThat(v4.getDnsLookupFamily()).isEqualTo(Cluster.DnsLookupFamily.V4_ONLY);
    Cluster v6 = translate(backend(ClusterPlan.Type.LOGICAL_DNS, "web.demo.svc.cluster.local",
        new ClusterPlan.Dns(Mesh.IpPreference.IPv6_ONLY, null)));
    assertThat(v6.getType()).isEqualTo(Cluster.DiscoveryType.LOGICAL_DNS);
    assertThat(v6.getDnsLookupFamily()).isEqualTo(Cluster.DnsLookupFamily.V6_ONLY);
  }

  @Test
  void aHealthCheckOnItsOwnPortGoesOnTheEndpoint() {
    Cluster c = translate(backend(ClusterPlan.Type.LOGICAL_DNS, "10.9.8.7", new ClusterPlan.Dns(null, 8081L)));
    var e = c.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint();
    assertThat(e.getAddress().getSocketAddress().getAddress()).isEqualTo("10.9.8.7");
    assertThat(e.getHealthCheckConfig().getPortValue()).isEqualTo(8081);
  }

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
