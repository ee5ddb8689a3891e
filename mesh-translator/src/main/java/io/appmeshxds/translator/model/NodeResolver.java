package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.BackendGroup;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.Reference;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.Reason;
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
