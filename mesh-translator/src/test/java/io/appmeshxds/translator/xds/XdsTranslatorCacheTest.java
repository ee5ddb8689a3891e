package io.appmeshxds.translator.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.ProxyPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The translator's caches: reuse across passes, and no dead plans kept alive by instance keys. */
class XdsTranslatorCacheTest {

  private static ProxyPlan plan(int port) {
    ClusterPlan c = new ClusterPlan(new ClusterId.Named("collector"), ClusterPlan.Type.LOGICAL_DNS, PortProtocol.grpc,
        1000, "otel-collector.observability", port, null, null, null, null);
    return new ProxyPlan(NodeKey.sidecar("m", "a_demo"), List.of(), List.of(), List.of(c), List.of(), List.of());
  }

  @Test
  void equalPlansReuseResourcesInLaterPasses() {
    XdsTranslator t = new XdsTranslator();
    XdsResources first = t.translate(plan(4317));
    t.endPass();
    long built = t.builtCount();
    XdsResources again = t.translate(plan(4317));
    t.endPass();
    assertThat(t.builtCount()).isEqualTo(built);
    assertThat(again).isEqualTo(first);
    t.translate(plan(4318));
    assertThat(t.builtCount()).isEqualTo(built + 1);
  }

  @Test
  void instanceKeysAreBoundedByRecentPassesNotByTheWholeCache() {
    XdsTranslator t = new XdsTranslator();
    t.capacity(100_000); // as the reconciler sizes the equality cache after a full build
    for (int p = 0; p < 5000; p++) {
      t.translate(plan(20_000 + p));
    }
    t.endPass();
    assertThat(t.instancesCached()).isGreaterThanOrEqualTo(5000);
    // Each small pass replaces plans, as a weight change replaces the plans of the proxies it reaches.
    for (int pass = 0; pass < 150; pass++) {
      for (int i = 0; i < 10; i++) {
        t.translate(plan(5000 + pass * 10 + i));
      }
      t.endPass();
    }
    // Instance keys hold their plans: bounded by what recent passes used, they cannot keep
    // thousands of replaced plans reachable.
    assertThat(t.instancesCached()).isLessThanOrEqualTo(2 * 1024);
    // Resources are still found by equality.
    long built = t.builtCount();
    t.translate(plan(20_000));
    assertThat(t.builtCount()).isEqualTo(built);
  }

  @Test
  void unchangedTypesAreTakenFromThePreviousSetAndVersionsStayTheSame() {
    XdsTranslator t = new XdsTranslator();
    XdsResources first = t.translate(plan(4317));
    XdsResources again = t.translate(plan(4317), null, first);
    assertThat(again.get(XdsResources.Type.CLUSTER)).isSameAs(first.get(XdsResources.Type.CLUSTER));
    assertThat(again).isEqualTo(first);
    XdsResources changed = t.translate(plan(4318), null, first);
    XdsResources fromScratch = new XdsTranslator().translate(plan(4318));
    assertThat(changed).isNotEqualTo(first).isEqualTo(fromScratch);
    assertThat(changed.version(XdsResources.Type.CLUSTER)).isEqualTo(fromScratch.version(XdsResources.Type.CLUSTER));
    // A previous set of another proxy is never reused.
    ProxyPlan other = new ProxyPlan(NodeKey.sidecar("m", "b_demo"), List.of(), List.of(), plan(4317).clusters(), List.of(),
        List.of());
    XdsResources otherSet = t.translate(other, null, first);
    assertThat(otherSet.key()).isEqualTo(NodeKey.sidecar("m", "b_demo"));
    assertThat(otherSet).isEqualTo(new XdsTranslator().translate(other)).isNotEqualTo(first);
  }

  /**
   * Small values are shared instances across resources (the translator keeps the protos of every
   * cluster and load assignment in use, each with its own copies they were 1.3 MB at 500 proxies
   * of the benchmark), with the values and bytes they always had.
   */
  @Test
  void resourcesShareTheirSmallValues() {
    XdsTranslator t = new XdsTranslator();
    io.envoyproxy.envoy.config.cluster.v3.Cluster a = t.translate(plan(4317)).<io.envoyproxy.envoy.config.cluster.v3.Cluster>protos(
        XdsResources.Type.CLUSTER).get(0);
    io.envoyproxy.envoy.config.cluster.v3.Cluster b = t.translate(plan(4318)).<io.envoyproxy.envoy.config.cluster.v3.Cluster>protos(
        XdsResources.Type.CLUSTER).get(0);
    assertThat(a).isNotEqualTo(b);
    assertThat(a.getConnectTimeout()).isSameAs(b.getConnectTimeout())
        .isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(1).build());
    assertThat(Protos.millis(250)).isSameAs(Protos.millis(250))
        .isEqualTo(com.google.protobuf.Duration.newBuilder().setNanos(250_000_000).build());
    assertThat(Protos.millis(1234)).isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(234_000_000).build());
    assertThat(Protos.millis(0)).isEqualTo(com.google.protobuf.Duration.getDefaultInstance());
    assertThat(Protos.u32(100)).isSameAs(Protos.u32(100)).isEqualTo(com.google.protobuf.UInt32Value.of(100));
    assertThat(Protos.u32(70_000)).isEqualTo(com.google.protobuf.UInt32Value.of(70_000));
    assertThat(Protos.u32(-1)).isEqualTo(com.google.protobuf.UInt32Value.of(-1));
    assertThat(Protos.ads()).isSameAs(Protos.ads());
  }
}
