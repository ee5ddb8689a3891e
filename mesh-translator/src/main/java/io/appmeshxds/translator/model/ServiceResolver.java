package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.input.ObjectRef;

/** Resolves a VirtualService's provider (which must be active). */
final class ServiceResolver {
  private ServiceResolver() {}

  static ResolvedService resolve(VirtualService vs, String mesh, BuildContext ctx, Findings f) {
    ResolvedService.Provider provider = null;
    VirtualService.Provider p = vs.spec().provider();
    if (p != null && p.virtualNode() != null) {
      var n = p.virtualNode();
      ObjectRef ref = n.virtualNodeRef() != null
          ? ctx.resolve(Kind.VirtualNode, ctx.refTo(Kind.VirtualNode, n.virtualNodeRef(), vs.namespace()), mesh, true,
              "spec.provider.virtualNode.virtualNodeRef", f)
          : ctx.resolveArn(Kind.VirtualNode, n.virtualNodeARN(), mesh, true, "spec.provider.virtualNode.virtualNodeARN", f);
      if (ref != null) {
        provider = new ResolvedService.NodeProvider(ctx.accepted(ref).awsName());
      }
    } else if (p != null && p.virtualRouter() != null) {
      var r = p.virtualRouter();
      ObjectRef ref = r.virtualRouterRef() != null
          ? ctx.resolve(Kind.VirtualRouter, ctx.refTo(Kind.VirtualRouter, r.virtualRouterRef(), vs.namespace()), mesh, true,
              "spec.provider.virtualRouter.virtualRouterRef", f)
          : ctx.resolveArn(Kind.VirtualRouter, r.virtualRouterARN(), mesh, true, "spec.provider.virtualRouter.virtualRouterARN", f);
      if (ref != null) {
        provider = new ResolvedService.RouterProvider(ctx.accepted(ref).awsName());
      }
    }
    String awsName = Names.awsName(vs);
    return new ResolvedService(ObjectRef.of(vs), awsName, vs, provider);
  }
}
