package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.BackendGroup;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.Reference;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.input.CloudMapAnswer;
import io.appmeshxds.translator.input.CloudMapQuery;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Reason;
import java.util.List;
import java.util.TreeMap;

/**
 * Resolves a VirtualNode's backends: explicit ones (by ref or ARN) and BackendGroups (a named group,
 * or {@code *} = every VirtualService of that namespace in the mesh). Backends need only exist in the
 * same mesh, not be active (App Mesh allowed the cycle VN → VS → VR → VN).
 */
final class NodeResolver {
  private NodeResolver() {}

  static ResolvedNode resolve(VirtualNode vn, String mesh, BuildContext ctx, Findings f) {
    TreeMap<String, ResolvedNode.Backend> backends = new TreeMap<>();
    List<VirtualNode.Backend> list = vn.spec().backends();
    for (int i = 0; i < list.size(); i++) {
      VirtualNode.VirtualServiceBackend b = list.get(i).virtualService();
      if (b == null) {
        continue;
      }
      String field = "spec.backends[" + i + "].virtualService";
      ObjectRef ref =
          b.virtualServiceRef() != null
              ? ctx.resolve(Kind.VirtualService, ctx.refTo(Kind.VirtualService, b.virtualServiceRef(), vn.namespace()), mesh,
                  false, field + ".virtualServiceRef", f)
              : ctx.resolveArn(Kind.VirtualService, b.virtualServiceARN(), mesh, false, true, field + ".virtualServiceARN", f);
      if (ref != null) {
        String awsName = Names.awsName(ctx.input(ref));
        backends.put(awsName, new ResolvedNode.Backend(awsName, b.clientPolicy()));
      }
    }
    List<Reference> groups = vn.spec().backendGroups();
    for (int i = 0; i < groups.size(); i++) {
      Reference g = groups.get(i);
      String field = "spec.backendGroups[" + i + "]";
      String ns = g.namespaceOr(vn.namespace());
      if ("*".equals(g.name())) {
        for (MeshObject o : ctx.inputsOfKind(Kind.VirtualService)) {
          if (o.namespace().equals(ns) && ctx.resolve(Kind.VirtualService, ObjectRef.of(o), mesh, false, field,
              new Findings(f.ref())) != null) {
            backends.putIfAbsent(Names.awsName(o), new ResolvedNode.Backend(Names.awsName(o), null));
          }
        }
        continue;
      }
      ObjectRef bgRef = ctx.resolve(Kind.BackendGroup, ObjectRef.of(Kind.BackendGroup, ns, g.name()), mesh, false, field, f);
      if (bgRef == null) {
        continue;
      }
      BackendGroup bg = (BackendGroup) ctx.input(bgRef);
      for (Reference r : bg.spec().virtualservices()) {
        ObjectRef vsRef = ObjectRef.of(Kind.VirtualService, r.namespaceOr(bg.namespace()), r.name());
        MeshObject vs = ctx.input(vsRef);
        if (vs instanceof VirtualService && ctx.resolve(Kind.VirtualService, vsRef, mesh, false, field,
            new Findings(f.ref())) != null) {
          backends.putIfAbsent(Names.awsName(vs), new ResolvedNode.Backend(Names.awsName(vs), null));
        } else {
          f.warn(field, "backend group " + bg.namespace() + "/" + bg.name() + " lists virtual service " + vsRef.namespace()
              + "/" + vsRef.name() + ", which is not in mesh " + mesh + "; skipped");
        }
      }
    }
    return new ResolvedNode(ObjectRef.of(vn), Names.awsName(vn), vn, List.copyOf(backends.values()));
  }

  /**
   * What the node's status says of its Cloud Map answer (warnings: the node is served either way).
   * A failing DiscoverInstances keeps the last known endpoints, and says since when; before any
   * answer the cluster has no endpoints; an answer as long as the call's limit may lack instances;
   * instances without an address the mesh's IP preference accepts are not endpoints.
   */
  static void cloudMap(VirtualNode vn, Mesh mesh, BuildContext ctx, Findings f) {
    CloudMapQuery q = CloudMapQuery.of(vn);
    if (q == null) {
      return;
    }
    CloudMapAnswer a = ctx.cloudMap(q);
    if (a == null) {
      return; // never asked (validate, render): nothing to say
    }
    String field = "spec.serviceDiscovery.awsCloudMap";
    if (a.failing()) {
      f.warn(field, "Cloud Map DiscoverInstances for " + q + " failing since " + a.failingSince() + ": " + a.error()
          + (a.answered() ? "; serving the " + a.instances().size() + " endpoint(s) last discovered"
              : "; no answer yet, so no endpoints"));
    }
    if (a.truncated()) {
      f.warn(field, "Cloud Map returned " + a.instances().size() + " instances for " + q
          + ", as many as one DiscoverInstances call returns: instances beyond them are not served");
    }
    Mesh.IpPreference pref = mesh.spec().meshServiceDiscovery() == null ? null : mesh.spec().meshServiceDiscovery().ipPreference();
    long unusable = a.instances().stream().filter(i -> i.address(pref) == null).count();
    if (unusable > 0) {
      f.warn(field, unusable + " Cloud Map instance(s) of " + q + " have no " + (pref == null ? "IPv4 or IPv6"
          : pref == Mesh.IpPreference.IPv4_ONLY ? "IPv4" : "IPv6") + " address (AWS_INSTANCE_IPV4/AWS_INSTANCE_IPV6)"
          + (pref == null ? "" : " for the mesh's ipPreference " + pref) + "; they are not endpoints");
    }
  }

  /** A BackendGroup has no condition; its dangling entries are warnings. */
  static void check(BackendGroup bg, String mesh, BuildContext ctx, Findings f) {
    List<Reference> refs = bg.spec().virtualservices();
    for (int i = 0; i < refs.size(); i++) {
      ObjectRef vsRef = ObjectRef.of(Kind.VirtualService, refs.get(i).namespaceOr(bg.namespace()), refs.get(i).name());
      Findings probe = new Findings(f.ref());
      if (ctx.resolve(Kind.VirtualService, vsRef, mesh, false, "spec.virtualservices[" + i + "]", probe) == null) {
        probe.list().forEach(p -> f.warn(p.field(), p.message()));
      }
    }
    if (f.hasErrors()) {
      f.error(Reason.InvalidSpec, "spec", "invalid backend group");
    }
  }
}
