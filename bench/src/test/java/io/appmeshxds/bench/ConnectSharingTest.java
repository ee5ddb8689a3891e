package io.appmeshxds.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.bench.jmh.Meshes;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.reconcile.Translation;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Proxies that connect a few at a time (as the server plans them, on demand) share one instance
 * of each equal resource, also when the proxies together use more distinct resources than the
 * translator's minimum cache: duplicates would be held once per proxy that received them.
 */
class ConnectSharingTest {

  @Test
  void proxiesConnectingInSmallPassesShareEqualResources() {
    // 3,000 services, 6,000 nodes: together the proxies use several times the minimum cache.
    MeshResources mesh = MeshGenerator.generate(new MeshGenerator.Profile("T", 3_000, 20, 1, 10), Meshes.SEED);
    Translation t = Translation.onDemand(Pipelines.standard(MeshGenerator.config()));
    t.apply(mesh, List.of());
    List<NodeKey> all = new ArrayList<>();
    mesh.objects().forEach((ref, o) -> {
      if ("VirtualNode".equals(ref.kind())) {
        all.add(NodeKey.sidecar(MeshGenerator.MESH, ref.name() + "_" + ref.namespace()));
      }
    });
    List<NodeKey> wanted = new ArrayList<>();
    List<XdsResources> held = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 20) {
      wanted.addAll(all.subList(i, Math.min(all.size(), i + 20)));
      t.keys(wanted, (k, r) -> {});
    }
    for (NodeKey k : wanted) {
      XdsResources r = t.preview(k);
      assertThat(r).as("%s is planned", k).isNotNull();
      held.add(r);
    }
    List<XdsResources.Resource> byInstance = Meshes.unique(held);
    Set<String> byContent = new HashSet<>();
    byInstance.forEach(r -> byContent.add(r.hash()));
    assertThat(byContent.size()).as("distinct resources, well over the minimum cache of 10,000").isGreaterThan(20_000);
    assertThat(byInstance).as("one instance per distinct resource").hasSize(byContent.size());
  }
}
