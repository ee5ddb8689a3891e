package io.appmeshxds.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.bench.jmh.Meshes;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.reconcile.Translation;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Proxies planned on connect are handed out one by one ({@link Translation#keys(java.util.Collection,
 * java.util.function.BiConsumer)}, as the reconciler publishes them in a connect storm): every
 * proxy's resources are byte for byte those of a translation from scratch of the same proxies, in
 * one batch or in several, and each proxy is handed out once.
 */
class StreamedConnectTest {

  @Test
  void proxiesHandedOutOneByOneEqualATranslationFromScratch() {
    MeshResources mesh = MeshGenerator.generate(new MeshGenerator.Profile("T", 200, 20, 1, 10), Meshes.SEED);
    List<NodeKey> all = new ArrayList<>();
    mesh.objects().forEach((ref, o) -> {
      if ("VirtualNode".equals(ref.kind())) {
        all.add(NodeKey.sidecar(MeshGenerator.MESH, ref.name() + "_" + ref.namespace()));
      }
    });
    assertThat(all).hasSizeGreaterThan(300);

    Translation streamed = Translation.onDemand(Pipelines.standard(MeshGenerator.config()));
    streamed.apply(mesh, List.of());
    Map<NodeKey, XdsResources> handed = new LinkedHashMap<>();
    List<NodeKey> wanted = new ArrayList<>();
    // A storm in uneven batches, as connects reach the reconciler: 1, then 99, then the rest.
    for (int[] batch : new int[][] {{0, 1}, {1, 100}, {100, all.size()}}) {
      wanted.addAll(all.subList(batch[0], batch[1]));
      streamed.keys(wanted, (k, r) -> {
        assertThat(r).as("%s: planned, not dropped", k).isNotNull();
        assertThat(handed.put(k, r)).as("%s handed out once", k).isNull();
      });
    }
    assertThat(handed.keySet()).containsExactlyInAnyOrderElementsOf(all);

    Translation scratch = Translation.onDemand(Pipelines.standard(MeshGenerator.config()));
    Map<NodeKey, XdsResources> expected = scratch.apply(mesh, all).resources();
    for (NodeKey k : all) {
      assertThat(bytes(handed.get(k))).as("%s", k).isEqualTo(bytes(expected.get(k)));
      assertThat(handed.get(k)).isEqualTo(expected.get(k));
    }

    // Dropping: a key no longer wanted is handed out with null.
    List<NodeKey> dropped = new ArrayList<>();
    streamed.keys(all.subList(1, all.size()), (k, r) -> dropped.add(r == null ? k : null));
    assertThat(dropped).containsExactly(all.get(0));
  }

  /** Every resource's name and serialized bytes, by type, plus the versions. */
  private static Map<String, List<String>> bytes(XdsResources r) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (XdsResources.Type t : XdsResources.Type.values()) {
      List<String> each = new ArrayList<>();
      each.add(r.version(t));
      r.get(t).forEach(x -> each.add(x.name() + " " + x.hash() + " "
          + java.util.HexFormat.of().formatHex(x.proto().toByteArray())));
      out.put(t.name(), each);
    }
    return out;
  }
}
