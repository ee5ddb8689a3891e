package io.appmeshxds.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.ObjectMeta;
import io.appmeshxds.translator.api.PortMapping;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.K8sNamespace;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.SourceRef;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The store's merged view, kept up to date write by write, equals a snapshot merged from scratch
 * (partitions in name order, the last copy served, as kubectl apply does, with a warning naming the
 * first and the last place), and the
 * changes it reports are exactly the refs whose served object or source differ.
 */
class ResourceStoreTest {

  @Test
  void incrementalViewEqualsMergingFromScratch() {
    Random rnd = new Random(7);
    ResourceStore store = new ResourceStore();
    store.register("test");
    store.markSynced("test");
    Map<String, Map<ObjectRef, ResourceStore.Entry>> partitions = new TreeMap<>();
    List<String> names = List.of("file:a.yaml", "file:b.yaml", "kubernetes/VirtualNode", "kubernetes/Namespace");
    MeshResources before = store.takeSyncedSnapshot().resources();
    for (int step = 0; step < 2000; step++) {
      String partition = names.get(rnd.nextInt(names.size()));
      Map<ObjectRef, ResourceStore.Entry> p = partitions.computeIfAbsent(partition, k -> new LinkedHashMap<>());
      int i = rnd.nextInt(6);
      Object o = switch (rnd.nextInt(3)) {
        case 0 -> node("n" + i, rnd.nextInt(3) + 8000);
        case 1 -> new K8sNamespace("ns" + i, Map.of("mesh", rnd.nextBoolean() ? "a" : "b"));
        default -> new EndpointSlice("demo", "s" + i, "svc" + i, "IPv4", List.of(), List.of());
      };
      ObjectRef ref = o instanceof MeshObject m ? ObjectRef.of(m) : o instanceof K8sNamespace n
          ? new ObjectRef("Namespace", null, n.name()) : new ObjectRef("EndpointSlice", "demo", ((EndpointSlice) o).name());
      boolean remove = rnd.nextInt(4) == 0;
      if (rnd.nextBoolean()) {
        // One object at a time, as the Kubernetes source writes.
        store.put(partition, ref, remove ? null : o);
        if (remove) {
          p.remove(ref);
        } else if (!p.containsKey(ref) || !p.get(ref).object().equals(o)) {
          p.put(ref, new ResourceStore.Entry(o, null));
        }
      } else {
        // A whole partition, as a manifest file is re-read (sources say where each document is).
        Map<ObjectRef, ResourceStore.Entry> next = new LinkedHashMap<>(p);
        if (remove) {
          next.remove(ref);
        } else {
          next.put(ref, new ResourceStore.Entry(o, new SourceRef(partition, rnd.nextInt(3), true)));
        }
        store.replace(partition, next, List.of());
        p.clear();
        p.putAll(next);
      }
      ResourceStore.Snapshot taken = store.takeSyncedSnapshot();
      MeshResources expected = fromScratch(partitions);
      MeshResources actual = taken.resources();
      assertThat(actual.objects()).as("step %d objects", step).isEqualTo(expected.objects());
      assertThat(actual.namespaces()).as("step %d namespaces", step).isEqualTo(expected.namespaces());
      assertThat(actual.endpointSlices()).as("step %d slices", step).isEqualTo(expected.endpointSlices());
      assertThat(actual.sources()).as("step %d sources", step).isEqualTo(expected.sources());
      assertThat(new HashSet<>(actual.loadProblems())).as("step %d duplicates", step)
          .isEqualTo(new HashSet<>(expected.loadProblems()));
      InputChanges diff = InputChanges.between(before, actual);
      Set<ObjectRef> reported = new HashSet<>(taken.changes().refs());
      assertThat(reported).as("step %d: every real change is reported", step).containsAll(diff.refs());
      assertThat(taken.changes().namespaces()).containsAll(diff.namespaces());
      before = actual;
    }
  }

  static VirtualNode node(String name, int port) {
    return new VirtualNode(ObjectMeta.of("demo", name), new VirtualNode.Spec(null, null,
        List.of(new VirtualNode.Listener(PortMapping.of(port, PortProtocol.http), null, null, null, null, null)), null,
        List.of(), List.of(), null, null, null));
  }

  /** The merge from scratch: partitions in name order, each added in turn, so the last copy wins. */
  private static MeshResources fromScratch(Map<String, Map<ObjectRef, ResourceStore.Entry>> partitions) {
    MeshResources.Builder b = MeshResources.builder();
    partitions.forEach((name, p) -> p.forEach((ref, e) -> b.add(e.object(), ref, e.source())));
    return b.build();
  }

  @Test
  void aRealObjectReplacesADerivedOneSilentlyAndTheDerivedOneComesBack() {
    ResourceStore store = new ResourceStore();
    ObjectRef ref = new ObjectRef("VirtualNode", "demo", "podinfo-primary");
    VirtualNode derived = node("podinfo-primary", 9898);
    VirtualNode real = node("podinfo-primary", 8080);
    SourceRef fromCanary = new SourceRef("canary.yaml", 0, false).derivedFrom(new ObjectRef("Canary", "demo", "podinfo"));
    // The derived partition sorts before and after file partitions alike: its name must not matter.
    for (String derivedPartition : List.of("a:flagger", "zz:flagger")) {
      store.replace(derivedPartition, Map.of(ref, new ResourceStore.Entry(derived, fromCanary)), List.of());
      assertThat(store.snapshot().objects().get(ref)).isEqualTo(derived);
      assertThat(store.snapshot().sources().get(ref)).isEqualTo(fromCanary);
      store.replace("file:podinfo.yaml", Map.of(ref, new ResourceStore.Entry(real, new SourceRef("podinfo.yaml", 0, false))),
          List.of());
      assertThat(store.snapshot().objects().get(ref)).isEqualTo(real);
      assertThat(store.snapshot().loadProblems()).isEmpty();
      store.replace("file:podinfo.yaml", Map.of(), List.of());
      assertThat(store.snapshot().objects().get(ref)).isEqualTo(derived);
      store.replace(derivedPartition, Map.of(), List.of());
      assertThat(store.snapshot().objects()).doesNotContainKey(ref);
    }
  }

  @Test
  void noSnapshotIsTakenWhileASourceRelistsAndNothingIsConsumed() {
    ResourceStore store = new ResourceStore();
    store.register("k8s");
    assertThat(store.takeSyncedSnapshot()).as("before the first sync").isNull();
    store.markSynced("k8s");
    store.put("k8s", ObjectRef.of(node("a", 80)), node("a", 80));
    assertThat(store.takeSyncedSnapshot().changes().refs()).containsExactly(ObjectRef.of(node("a", 80)));
    store.markUnsynced("k8s");
    store.put("k8s", ObjectRef.of(node("b", 80)), node("b", 80));
    assertThat(store.takeSyncedSnapshot()).as("half-applied relist").isNull();
    assertThat(store.syncedSnapshot()).isNull();
    store.put("k8s", ObjectRef.of(node("c", 80)), node("c", 80));
    store.markSynced("k8s");
    ResourceStore.Snapshot after = store.takeSyncedSnapshot();
    assertThat(after.changes().refs()).as("the relist's changes, kept while it was not synced")
        .containsExactlyInAnyOrder(ObjectRef.of(node("b", 80)), ObjectRef.of(node("c", 80)));
    assertThat(after.resources().objects()).hasSize(3);
  }
}
