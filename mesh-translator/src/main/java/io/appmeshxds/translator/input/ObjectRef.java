package io.appmeshxds.translator.input;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.MeshObject;

/**
 * Identity of an input object: kind, namespace (null when cluster-scoped) and name. Ordered by
 * kind, namespace, name so that every output built from a map of refs is deterministic.
 */
public record ObjectRef(String kind, String namespace, String name) implements Comparable<ObjectRef> {

  public static ObjectRef of(Kind kind, String namespace, String name) {
    return new ObjectRef(kind.name(), kind.namespaced() ? namespace : null, name);
  }

  public static ObjectRef of(MeshObject o) {
    return of(o.kind(), o.namespace(), o.name());
  }

  /** The App Mesh kind, or null for other kinds. */
  public Kind appMeshKind() {
    return Kind.byName(kind);
  }

  @Override
  public int compareTo(ObjectRef o) {
    // Why not a Comparator chain: refs key every sorted and persistent map; this runs millions of times per build.
    int c = kind.compareTo(o.kind);
    if (c != 0) {
      return c;
    }
    c = (namespace == null ? "" : namespace).compareTo(o.namespace == null ? "" : o.namespace);
    return c != 0 ? c : name.compareTo(o.name);
  }

  /** {@code Kind namespace/name}. */
  @Override
  public String toString() {
    return kind + " " + (namespace == null ? "" : namespace + "/") + name;
  }
}
