package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.Reference;
import io.appmeshxds.translator.incremental.Dep;
import io.appmeshxds.translator.incremental.Reads;
import io.appmeshxds.translator.input.K8sNamespace;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Reason;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * State the resolvers share: the input, which objects are accepted, who owns each App Mesh name.
 * It lives across builds (see {@link ModelState}); every accessor a resolver uses tells {@link
 * Reads} what was read, so a later change re-evaluates exactly the objects that read it.
 */
final class BuildContext {

  /** An accepted object: what is served, its App Mesh name, its mesh's App Mesh name, and its resolution. */
  record Accepted(MeshObject object, String awsName, String mesh, Object resolved) {}

  /** Contributed checks of gateway routes (see {@link ComposabilityCheck}). */
  final List<ComposabilityCheck> checks;
  final NameOwners owners = new NameOwners();
  private final Map<ObjectRef, Accepted> accepted = new HashMap<>();
  private final IdentityHashMap<MeshObject, Object> meshCache = new IdentityHashMap<>();
  private final Map<String, Mesh> meshesByName = new HashMap<>();
  private final Map<String, Mesh> meshesByAwsName = new HashMap<>();
  /** Objects that could not be read (they are not in the input, their reading errors are). */
  private final java.util.Set<ObjectRef> unreadable = new java.util.HashSet<>();
  private MeshResources in;
  private Membership membership;
  private Function<String, MeshGraph> graphForChecks = m -> null;

  BuildContext(List<ComposabilityCheck> checks) {
    this.checks = checks;
  }

  /** Starts over with {@code in}: nothing accepted, no names owned. */
  void reset(MeshResources in) {
    accepted.clear();
    owners.clear();
    meshCache.clear();
    meshesByName.clear();
    meshesByAwsName.clear();
    input(in);
  }

  /** Moves to a new snapshot whose Meshes and Namespaces are those of the previous one. */
  void input(MeshResources in) {
    this.in = in;
    unreadable.clear();
    for (var p : in.loadProblems()) {
      if (p.isError() && p.object() != null) {
        unreadable.add(p.object());
      }
    }
    List<Mesh> meshes = in.ofKind(Kind.Mesh);
    this.membership = new Membership(in, meshes);
    meshesByName.clear();
    meshesByAwsName.clear();
    for (Mesh m : meshes) {
      meshesByName.put(m.name(), m);
      meshesByAwsName.put(Names.awsName(m), m);
    }
  }

  MeshResources in() {
    return in;
  }

  /** Where contributed checks find the mesh resolved so far (everything but gateway routes). */
  void graphForChecks(Function<String, MeshGraph> graphs) {
    this.graphForChecks = graphs;
  }

  MeshGraph graphForChecks(String mesh) {
    return graphForChecks.apply(mesh);
  }

  /** An input object (recorded). */
  MeshObject input(ObjectRef ref) {
    Reads.read(new Dep.Input(ref));
    return in.objects().get(ref);
  }

  /** What the server discovered in Cloud Map for a question (recorded), or null when nothing is known. */
  io.appmeshxds.translator.input.CloudMapAnswer cloudMap(io.appmeshxds.translator.input.CloudMapQuery q) {
    Reads.read(new Dep.CloudMap(q));
    return in.cloudMap().get(q);
  }

  /** Every input object of a kind (recorded). */
  List<MeshObject> inputsOfKind(Kind kind) {
    Reads.read(new Dep.InputKind(kind.name()));
    return in.ofKind(kind);
  }

  /** A Namespace (a change to any Namespace rebuilds everything, so this is not recorded). */
  K8sNamespace namespace(String name) {
    return in.namespaces().get(name);
  }

  /** The mesh of an object version; problems go to {@code f}. */
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

  /** Drops what was cached about an object version that is gone. */
  void forget(MeshObject o) {
    meshCache.remove(o);
  }

  /** The App Mesh name key an object claims, or null (Meshes, BackendGroups, objects in no mesh). */
  NameOwners.Key nameKey(MeshObject o) {
    if (o.kind() == Kind.Mesh || o.kind() == Kind.BackendGroup) {
      return null;
    }
    Mesh m = meshQuiet(o);
    return m == null ? null : new NameOwners.Key(Names.awsName(m), o.kind(), Names.awsName(o));
  }

  /** Records a NameConflict when another object owns this App Mesh name in the mesh. */
  void checkNameConflict(MeshObject o, String meshAwsName, Findings f) {
    NameOwners.Key key = new NameOwners.Key(meshAwsName, o.kind(), Names.awsName(o));
    Reads.read(key.dep());
    ObjectRef owner = owners.owner(key);
    if (owner != null && !owner.equals(ObjectRef.of(o))) {
      f.error(Reason.NameConflict, "spec.awsName", "App Mesh name \"" + Names.awsName(o) + "\" is already used by "
          + owner + " in mesh " + meshAwsName);
    }
  }

  void accept(ObjectRef ref, Accepted a) {
    accepted.put(ref, a);
  }

  void unaccept(ObjectRef ref) {
    accepted.remove(ref);
  }

  /** The accepted state of an object (recorded), or null. */
  Accepted accepted(ObjectRef ref) {
    Reads.read(new Dep.State(ref));
    return accepted.get(ref);
  }

  /** The accepted state, not recorded (for the builder's own bookkeeping). */
  Accepted peekAccepted(ObjectRef ref) {
    return accepted.get(ref);
  }

  Mesh meshByName(String name) {
    return meshesByName.get(name);
  }

  /** Input object by kind and reference (namespace defaulting to {@code fromNamespace}). */
  ObjectRef refTo(Kind kind, Reference r, String fromNamespace) {
    return ObjectRef.of(kind, r.namespaceOr(fromNamespace), r.name());
  }

  /** Input object by App Mesh name within a mesh (for ARN references), or null (recorded). */
  ObjectRef byAwsName(String meshAwsName, Kind kind, String awsName) {
    NameOwners.Key key = new NameOwners.Key(meshAwsName, kind, awsName);
    Reads.read(key.dep());
    return owners.owner(key);
  }

  /**
   * Resolves a reference to an object that must exist in the input and be in the same mesh; with
   * {@code mustBeActive} it must also be accepted. Reports and returns null otherwise.
   */
  ObjectRef resolve(Kind kind, ObjectRef target, String meshAwsName, boolean mustBeActive, String field, Findings f) {
    MeshObject t = input(target);
    if (t == null && unreadable.contains(target)) {
      // Its own problems say why; validate reports the cause once.
      f.error(Reason.ReferenceNotActive, field, kindWords(kind) + " " + target.namespace() + "/" + target.name()
          + " is rejected (it could not be read; see its status)");
      return null;
    }
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
    if (mustBeActive && accepted(target) == null) {
      f.error(Reason.ReferenceNotActive, field, kindWords(kind) + " " + target.namespace() + "/" + target.name()
          + " is not active (it is rejected; see its status)");
      return null;
    }
    return target;
  }

  /**
   * Resolves an ARN reference: parse, same mesh, then as {@link #resolve}. A target that is not in
   * this input but, by the ARN, belongs to another account's or cluster's mesh (see {@link
   * #elsewhere}) is not served here: for a backend ({@code optional}) that is a warning and the
   * backend is left out; anything that cannot work without its target is Unsupported. A backend
   * whose ARN names this input's own mesh but an object not in it is a warning too (another cluster
   * may hold it in the same mesh, as in AWS's cross-cluster walkthrough); other references are
   * ReferenceNotFound.
   */
  ObjectRef resolveArn(Kind kind, String arn, String meshAwsName, boolean mustBeActive, String field, Findings f) {
    return resolveArn(kind, arn, meshAwsName, mustBeActive, false, field, f);
  }

  /** As {@link #resolveArn(Kind, String, String, boolean, String, Findings)}; {@code optional}: a backend. */
  ObjectRef resolveArn(
      Kind kind, String arn, String meshAwsName, boolean mustBeActive, boolean optional, String field, Findings f) {
    Arns.Parsed p = Arns.parse(arn, typeWord(kind), field, f);
    if (p == null) {
      return null;
    }
    boolean ownMesh = p.mesh().equals(meshAwsName);
    ObjectRef ref = ownMesh ? byAwsName(meshAwsName, kind, p.name()) : null;
    if (ref != null) {
      return resolve(kind, ref, meshAwsName, mustBeActive, field, f);
    }
    String elsewhere = elsewhere(p, ownMesh);
    if (elsewhere != null) {
      String what = kindWords(kind) + " " + p.name() + " " + elsewhere;
      if (optional) {
        f.warn(field, what + ": not served here; this node gets no route to it");
      } else {
        f.error(Reason.Unsupported, field, what + ": not served here, so this object cannot be served");
      }
      return null;
    }
    if (!ownMesh) {
      f.error(Reason.CrossMeshReference, field, "ARN names mesh " + p.mesh() + ", not " + meshAwsName);
      return null;
    }
    if (optional) {
      // A backend by ARN is how App Mesh manifests reach a service another cluster holds in the same
      // mesh (AWS's howto-k8s-cross-cluster): App Mesh accepted it, so it is a warning here.
      f.warn(field, kindWords(kind) + " with App Mesh name " + p.name() + " is not in this input (mesh " + meshAwsName
          + "): not served here, as if another cluster held it; this node gets no route to it");
      return null;
    }
    f.error(Reason.ReferenceNotFound, field, kindWords(kind) + " with App Mesh name " + p.name() + " not found in mesh "
        + meshAwsName + " (mesh " + meshAwsName + " is not shared: spec.meshOwner is not set, so its objects are all in"
        + " this input)");
    return null;
  }

  /**
   * Why an ARN's target, not found in this input, lives elsewhere, or null when it should be here.
   * Why these signs: an ARN is how App Mesh manifests reach beyond their own cluster (App Mesh's
   * controller never looks ARNs up in Kubernetes), but a missing object of a mesh held wholly in
   * this input is a mistake. The ARN's mesh not being a Mesh of this input, or the mesh being shared
   * across accounts ({@code spec.meshOwner}, or an {@code @owner} in the ARN), says "elsewhere".
   */
  private String elsewhere(Arns.Parsed p, boolean ownMesh) {
    Mesh m = meshesByAwsName.get(p.mesh());
    if (m == null) {
      return "is in mesh " + p.mesh() + ", which is not in this input (another account's or cluster's mesh)";
    }
    if (!ownMesh) {
      return null; // another mesh of this input: a cross-mesh reference
    }
    String owner = m.spec().meshOwner();
    if (p.owner() != null && !p.owner().equals(owner)) {
      return "is in mesh " + p.mesh() + " of account " + p.owner() + ", which shares it (not in this input)";
    }
    if (owner != null && !p.account().isEmpty() && !p.account().equals(owner)) {
      return "belongs to account " + p.account() + ", not to mesh " + p.mesh() + "'s owner " + owner
          + " (not in this input)";
    }
    if (owner != null) {
      return "is not in this input; mesh " + p.mesh() + " is shared (owner " + owner + "), so it is another account's or"
          + " cluster's";
    }
    return null;
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
