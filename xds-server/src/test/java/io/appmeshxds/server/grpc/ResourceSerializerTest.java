package io.appmeshxds.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.reconcile.Translation;
import io.appmeshxds.translator.input.ManifestFiles;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A route configuration assembled from its virtual hosts' bytes is exactly what {@code Any.pack}
 * gives, for every route configuration of the bundled example mesh; one with another field set is
 * packed whole; every other resource is packed once per instance, every virtual host serialized
 * once per instance, and an assembled route configuration is not kept.
 */
class ResourceSerializerTest {
  private static final Resources.ApiVersion V3 = Resources.ApiVersion.V3;

  private static List<RouteConfiguration> exampleRouteConfigurations() {
    MeshResources in = MeshResources.of(ManifestFiles.load(List.of(Path.of("../deploy/examples/podinfo"))));
    Translation.Result r = new Translation(Pipelines.standard()).apply(in, List.of());
    List<RouteConfiguration> out = new ArrayList<>();
    for (XdsResources x : r.resources().values()) {
      out.addAll(x.<RouteConfiguration>protos(XdsResources.Type.ROUTE));
    }
    return out;
  }

  @Test
  void assembledBytesAreWhatProtobufWrites() {
    List<RouteConfiguration> rcs = exampleRouteConfigurations();
    assertThat(rcs).hasSizeGreaterThan(3).anyMatch(rc -> rc.getVirtualHostsCount() > 1);
    ResourceSerializer s = new ResourceSerializer();
    for (RouteConfiguration rc : rcs) {
      Any packed = s.serialize(rc, V3);
      assertThat(packed.toByteString()).as(rc.getName()).isEqualTo(Any.pack(rc).toByteString());
    }
    assertThat(s.assembled()).as("assembled, not packed whole").isEqualTo(rcs.size());
  }

  @Test
  void aConfigurationWithAnotherFieldIsPackedWhole() throws Exception {
    VirtualHost vh = VirtualHost.newBuilder().setName("a").addDomains("a").build();
    RouteConfiguration rc = RouteConfiguration.newBuilder().setName("rds_egress_http_8080").addVirtualHosts(vh)
        .addVirtualHosts(vh).setValidateClusters(BoolValue.of(true)).build();
    ResourceSerializer s = new ResourceSerializer();
    Any packed = s.serialize(rc, V3);
    assertThat(s.assembled()).isZero();
    assertThat(packed.toByteString()).isEqualTo(Any.pack(rc).toByteString());
    assertThat(packed.unpack(RouteConfiguration.class)).isEqualTo(rc);
  }

  @Test
  void eachResourceInstanceIsPackedOnce() throws Exception {
    ResourceSerializer s = new ResourceSerializer();
    Cluster c = Cluster.newBuilder().setName("c").build();
    assertThat(s.serialize(c, V3)).isSameAs(s.serialize(c, V3));
    assertThat(s.serialize(c, V3).unpack(Cluster.class)).isEqualTo(c);
    RouteConfiguration whole = RouteConfiguration.newBuilder().setName("r").setValidateClusters(BoolValue.of(true)).build();
    assertThat(s.serialize(whole, V3)).isSameAs(s.serialize(whole, V3));
  }

  /**
   * Sending a route configuration again (another stream of its proxy, a reconnect) assembles it
   * again from the bytes kept per virtual host: no virtual host is serialized twice, and the
   * assembled value is not kept with the configuration (it is a proxy's own: kept, it was 3 KB of
   * every held stream).
   */
  @Test
  void virtualHostsAreSerializedOnceAndAnAssembledConfigurationIsNotKept() throws Exception {
    List<RouteConfiguration> rcs = exampleRouteConfigurations();
    java.util.Set<VirtualHost> hosts = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    rcs.forEach(rc -> hosts.addAll(rc.getVirtualHostsList()));
    ResourceSerializer s = new ResourceSerializer();
    for (int round = 0; round < 2; round++) {
      for (RouteConfiguration rc : rcs) {
        assertThat(s.serialize(rc, V3).toByteString()).isEqualTo(Any.pack(rc).toByteString());
      }
    }
    assertThat(s.hostsSerialized()).isEqualTo(hosts.size());
    assertThat(s.assembled()).isEqualTo(2L * rcs.size());
    RouteConfiguration rc = rcs.get(0);
    assertThat(s.serialize(rc, V3)).isNotSameAs(s.serialize(rc, V3)).isEqualTo(s.serialize(rc, V3));
  }
}
