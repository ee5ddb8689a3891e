package io.appmeshxds.translator.model;

import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The resolved mesh graph: only accepted objects (or their last accepted versions), every reference
 * turned into an App Mesh name that exists in the same mesh.
 *
 * @param meshes meshes by App Mesh name
 * @param inputs the snapshot this model was built from (EndpointSlices and Services are read from it)
 */
public record MeshModel(SortedMap<String, MeshGraph> meshes, MeshResources inputs) {

  public MeshModel {
    meshes = Collections.unmodifiableSortedMap(new TreeMap<>(meshes));
  }

  public static MeshModel empty() {
    return new MeshModel(new TreeMap<>(), MeshResources.empty());
  }

  public MeshGraph mesh(String name) {
    return meshes.get(name);
  }

  /** Finds the mesh graph holding an object, or null. */
  public MeshGraph meshOf(ObjectRef ref) {
    for (MeshGraph g : meshes.values()) {
      if (g.contains(ref)) {
        return g;
      }
    }
    return null;
  }

  /** Total served objects, for logs and metrics. */
  public int size() {
    int n = 0;
    for (MeshGraph g : meshes.values()) {
      n += 1 + g.nodes().size() + g.services().size() + g.routers().size() + g.gateways().size() + g.gatewayRoutes().size();
    }
    return n;
  }

  static <K, V> SortedMap<K, V> sorted(Map<K, V> m) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(m));
  }
}
