package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.LabelSelector;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.MeshReference;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.api.BackendGroup;
import io.appmeshxds.translator.input.K8sNamespace;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which Mesh a namespaced object belongs to, as App Mesh's webhook designated it: {@code
 * spec.meshRef} when present, else the one Mesh whose {@code namespaceSelector} selects the
 * object's Namespace labels.
 *
 * <p>Files often hold no Namespace object; then, if the input has exactly one Mesh, objects join
 * it (with a warning), which is what a cluster with one mesh would have done.
 */
final class Membership {
  private final MeshResources in;
  private final List<Mesh> meshes;
  private final Map<String, Mesh> byName = new HashMap<>();
  private final Map<String, Object> byNamespace = new HashMap<>(); // Mesh or String error

  Membership(MeshResources in, List<Mesh> meshes) {
    this.in = in;
    this.meshes = meshes;
    for (Mesh m : meshes) {
      byName.put(m.name(), m);
    }
  }

  /** The Mesh of {@code o} or null, reporting why not on {@code f}. */
  Mesh meshOf(MeshObject o, Findings f) {
    MeshReference ref = meshRef(o);
    Object bySelector = forNamespace(o.namespace());
    if (ref != null && ref.name() != null) {
      Mesh m = byName.get(ref.name());
      if (m == null) {
        f.error(Reason.MeshNotFound, "spec.meshRef.name", "mesh \"" + ref.name() + "\" not found");
        return null;
      }
      if (bySelector instanceof Mesh other && !other.name().equals(m.name())) {
        f.error(Reason.MeshNotFound, "spec.meshRef.name", "namespace " + o.namespace() + " belongs to mesh \""
            + other.name() + "\" (its namespaceSelector), not \"" + m.name() + "\": one mesh per namespace");
        return null;
      }
      return m;
    }
    if (bySelector instanceof Mesh m) {
      if (!in.namespaces().containsKey(o.namespace())) {
        f.warn("metadata.namespace", "Namespace " + o.namespace() + " is not in the input; assuming the only mesh, \""
            + m.name() + "\"");
      }
      return m;
    }
    f.error(Reason.MeshNotFound, "metadata.namespace", (String) bySelector);
    return null;
  }

  private Object forNamespace(String ns) {
    return byNamespace.computeIfAbsent(ns, this::designate);
  }

  private Object designate(String ns) {
    K8sNamespace namespace = in.namespaces().get(ns);
    if (namespace == null) {
      if (meshes.size() == 1) {
        return meshes.get(0);
      }
      return "failed to find matching mesh for namespace: " + ns + " (the Namespace is not in the input and "
          + meshes.size() + " meshes exist; add the Namespace with its labels, or set spec.meshRef)";
    }
    List<String> candidates = new ArrayList<>();
    Mesh found = null;
    for (Mesh m : meshes) {
      LabelSelector sel = m.spec().namespaceSelector();
      if (sel != null && sel.matches(namespace.labels())) {
        candidates.add(m.name());
        found = m;
      }
    }
    if (candidates.size() == 1) {
      return found;
    }
    if (candidates.isEmpty()) {
      return "failed to find matching mesh for namespace: " + ns + ", expecting 1 but found 0";
    }
    return "found multiple matching meshes for namespace: " + ns + ", expecting 1 but found " + candidates.size()
        + ": " + String.join(", ", candidates);
  }

  static MeshReference meshRef(MeshObject o) {
    if (o instanceof VirtualNode n) {
      return n.spec().meshRef();
    }
    if (o instanceof VirtualService s) {
      return s.spec().meshRef();
    }
    if (o instanceof VirtualRouter r) {
      return r.spec().meshRef();
    }
    if (o instanceof VirtualGateway g) {
      return g.spec().meshRef();
    }
    if (o instanceof GatewayRoute gr) {
      return gr.spec().meshRef();
    }
    if (o instanceof BackendGroup bg) {
      return bg.spec().meshRef();
    }
    return null;
  }
}
