package io.appmeshxds.server.inject;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.LabelSelector;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.MeshReference;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.K8sNamespace;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.Names;
import io.appmeshxds.translator.status.ObjectStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What injection reads of one build: Namespaces (their labels), the VirtualNodes and
 * VirtualGateways of a namespace as stored (App Mesh matched pods against every object of the
 * namespace, valid or not: {@code pkg/virtualnode/membership_designator.go}), and the identity each
 * runs under, with the served mesh graph's names when the object is accepted.
 */
public final class MeshView {
  private final MeshResources inputs;
  private final BuildResult build;
  private final Map<ObjectRef, String[]> served = new HashMap<>(); // ref -> {mesh, awsName}

  private MeshView(BuildResult build) {
    this.build = build;
    this.inputs = build.model().inputs();
    for (MeshGraph g : build.model().meshes().values()) {
      g.nodes().values().forEach(n -> served.put(n.ref(), new String[] {g.name(), n.awsName()}));
      g.gateways().values().forEach(n -> served.put(n.ref(), new String[] {g.name(), n.awsName()}));
    }
  }

  /** The view of a build (the webhook's latest, or one made from files by {@code inject}). */
  public static MeshView of(BuildResult build) {
    return new MeshView(build);
  }

  /** The labels of a namespace, or null when the input has no such Namespace. */
  Map<String, String> namespaceLabels(String namespace) {
    K8sNamespace ns = inputs.namespaces().get(namespace);
    return ns == null ? null : ns.labels();
  }

  List<VirtualNode> nodes(String namespace) {
    return inNamespace(Kind.VirtualNode, namespace);
  }

  List<VirtualGateway> gateways(String namespace) {
    return inNamespace(Kind.VirtualGateway, namespace);
  }

  private <T extends MeshObject> List<T> inNamespace(Kind kind, String namespace) {
    List<T> out = new ArrayList<>();
    for (MeshObject o : inputs.<MeshObject>ofKind(kind)) {
      if (namespace.equals(o.namespace())) {
        @SuppressWarnings("unchecked")
        T t = (T) o;
        out.add(t);
      }
    }
    return out;
  }

  /**
   * Who a VirtualNode's or VirtualGateway's proxy is.
   *
   * @param mesh the mesh's App Mesh name, or null when none can be designated
   * @param name the object's App Mesh name
   * @param problem why the object is not served (its condition's message), or why no mesh, or null
   */
  record Identity(String mesh, String name, String problem) {
    boolean served() {
      return problem == null;
    }
  }

  Identity identity(MeshObject o) {
    ObjectRef ref = ObjectRef.of(o);
    String[] s = served.get(ref);
    if (s != null) {
      return new Identity(s[0], s[1], null);
    }
    ObjectStatus st = build.status().get(ref);
    String why = st != null && st.condition() != null ? st.condition().message() : "it is not served";
    return new Identity(meshOf(o), Names.awsName(o), why == null || why.isBlank() ? "it is not served" : why);
  }

  /**
   * The mesh of an object that is not served: {@code spec.meshRef}, else the one Mesh whose
   * {@code namespaceSelector} selects its namespace (App Mesh's {@code pkg/mesh/membership_designator.go}).
   */
  private String meshOf(MeshObject o) {
    MeshReference ref = o instanceof VirtualNode n ? n.spec().meshRef() : o instanceof VirtualGateway g ? g.spec().meshRef() : null;
    List<Mesh> meshes = inputs.ofKind(Kind.Mesh);
    if (ref != null && ref.name() != null) {
      return meshes.stream().filter(m -> m.name().equals(ref.name())).map(Names::awsName).findFirst().orElse(null);
    }
    Map<String, String> labels = namespaceLabels(o.namespace());
    if (labels == null) {
      return meshes.size() == 1 ? Names.awsName(meshes.get(0)) : null;
    }
    List<Mesh> candidates = new ArrayList<>();
    for (Mesh m : meshes) {
      LabelSelector sel = m.spec().namespaceSelector();
      if (sel != null && sel.matches(labels)) {
        candidates.add(m);
      }
    }
    return candidates.size() == 1 ? Names.awsName(candidates.get(0)) : null;
  }
}
