package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.Reference;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.Reason;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** State shared by the resolvers during one build. */
final class BuildContext {

  /** An accepted object: what is served, its App Mesh name, its mesh's App Mesh name, and its resolution. */
  record Accepted(MeshObject object, String awsName, String mesh, Object resolved) {}

  final MeshResources in;
  final Membership membership;
  /** Contributed checks of gateway routes (see {@link ComposabilityCheck}). */
  final List<ComposabilityCheck> checks;
  /** Everything accepted before gateway routes are resolved; set only when there are checks. */
  MeshModel beforeGatewayRoutes;
  private final Map<String, Mesh> meshesByName = new HashMap<>();
  private final Map<ObjectRef, Accepted> accepted = new HashMap<>();
  private final Map<String, ObjectRef> byAwsName = new HashMap<>();
  private final IdentityHashMap<MeshObject, Object> meshCache = new IdentityHashMap<>();

  BuildContext(MeshResources in, List<ComposabilityCheck> checks) {
    this.in = in;
    this.checks = checks;
    List<Mesh> meshes = in.ofKind(Kind.Mesh);
    this.membership = new Membership(in, meshes);
    for (Mesh m : meshes) {
      meshesByName.put(m.name(), m);
    }
    // Who owns an App Mesh name when two objects claim it: an object whose name is its own default
    // (name_namespace) beats one that borrowed it through spec.awsName; otherwise ref order.
    for (int pass = 0; pass < 2; pass++) {
      for (MeshObject o : in.objects().values()) {
        if (o.kind() == Kind.Mesh || o.kind() == Kind.BackendGroup || Names.hasDefaultName(o) != (pass == 0)) {
          continue;
        }
        Mesh m = meshQuiet(o);
        if (m != null) {
          byAwsName.putIfAbsent(key(Names.awsName(m), o.kind(), Names.awsName(o)), ObjectRef.of(o));
        }
      }
    }
  }

  private static String key(String mesh, Kind kind, String awsName) {
    return mesh + "\u0000" + kind + "\u0000" + awsName;
  }

  /** The mesh of an object version, computed once per instance; problems go to {@code f}. */
  Mesh meshOf(MeshObject o, Findings f) {
    Findings probe = new Findings(ObjectRef.of(o));
    Mesh m = membership.meshOf(o, probe);
    f.addAll(probe.list());
    return m;
  }

  private Mesh meshQuiet(MeshObject o) {
    Object r = meshCache.computeIfAbsent(o, x -> {
      Mesh m = membership.meshOf(x, new Findings(ObjectRef.of(x)));
      return m == null ? Boolean.FALSE : m;
    });
    return r instanceof Mesh m ? m : null;
  }

  /** Records a NameConflict when another object already owns this App Mesh name in the mesh. */
  void checkNameConflict(MeshObject o, String meshAwsName, Findings f) {
    ObjectRef owner = byAwsName.get(key(meshAwsName, o.kind(), Names.awsName(o)));
    if (owner != null && !owner.equals(ObjectRef.of(o))) {
      f.error(Reason.NameConflict, "spec.awsName", "App Mesh name \"" + Names.awsName(o) + "\" is already used by "
          + owner + " in mesh " + meshAwsName);
    }
  }

  void accept(ObjectRef ref, Accepted a) {
    accepted.put(ref, a);
  }

  Accepted accepted(ObjectRef ref) {
    return accepted.get(ref);
  }

  Map<ObjectRef, Accepted> allAccepted() {
    return accepted;
  }

  Mesh meshByName(String name) {
    return meshesByName.get(name);
  }

  /** Input object by kind and reference (namespace defaulting to {@code fromNamespace}). */
  ObjectRef refTo(Kind kind, Reference r, String fromNamespace) {
    return ObjectRef.of(kind, r.namespaceOr(fromNamespace), r.name());
  }

  /** Input object by App Mesh name within a mesh (for ARN references), or null. */
  ObjectRef byAwsName(String meshAwsName, Kind kind, String awsName) {
    return byAwsName.get(key(meshAwsName, kind, awsName));
  }

  /**
   * Resolves a reference to an object that must exist in the input and be in the same mesh; with
   * {@code mustBeActive} it must also be accepted. Reports and returns null otherwise.
   */
  ObjectRef resolve(Kind kind, ObjectRef target, String meshAwsName, boolean mustBeActive, String field, Findings f) {
    MeshObject t = in.objects().get(target);
    if (t == null) {
      f.error(Reason.ReferenceNotFound, field, kindWords(kind) + " " + target.namespace() + "/" + target.name() + " not found");
      return null;
    }
    Mesh tm = meshQuiet(t);
    String targetMesh = tm == null ? null : Names.awsName(tm);
    if (targetMesh != null && !targetMesh.equals(meshAwsName)) {
      f.error(Reason.CrossMeshReference, field, kindWords(kind) + " " + target.namespace() + "/" + target.name()
          + " is in mesh " + targetMesh + ", not " + meshAwsName);
      return null;
    }
    if (mustBeActive && accepted.get(target) == null) {
      f.error(Reason.ReferenceNotActive, field, kindWords(kind) + " " + target.namespace() + "/" + target.name()
          + " is not active (it is rejected; see its status)");
      return null;
    }
    return target;
  }

  /** Resolves an ARN reference: parse, same mesh, then as {@link #resolve}. */
  ObjectRef resolveArn(Kind kind, String arn, String meshAwsName, boolean mustBeActive, String field, Findings f) {
    Arns.Parsed p = Arns.parse(arn, typeWord(kind), field, f);
    if (p == null) {
      return null;
    }
    if (!p.mesh().equals(meshAwsName)) {
      f.error(Reason.CrossMeshReference, field, "ARN names mesh " + p.mesh() + ", not " + meshAwsName);
      return null;
    }
    ObjectRef ref = byAwsName(meshAwsName, kind, p.name());
    if (ref == null) {
      f.error(Reason.ReferenceNotFound, field, kindWords(kind) + " with App Mesh name " + p.name() + " not found in mesh "
          + meshAwsName);
      return null;
    }
    return resolve(kind, ref, meshAwsName, mustBeActive, field, f);
  }

  static String typeWord(Kind k) {
    return Character.toLowerCase(k.name().charAt(0)) + k.name().substring(1);
  }

  static String kindWords(Kind k) {
    return switch (k) {
      case VirtualNode -> "virtual node";
      case VirtualService -> "virtual service";
      case VirtualRouter -> "virtual router";
      case VirtualGateway -> "virtual gateway";
      case GatewayRoute -> "gateway route";
      case BackendGroup -> "backend group";
      case Mesh -> "mesh";
    };
  }
}
