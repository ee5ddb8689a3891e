package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves a VirtualService's provider (which must be active) and the Kubernetes names it stands for. */
final class ServiceResolver {
  private ServiceResolver() {}

  private static final Pattern K8S_NAME =
      Pattern.compile("^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.svc(\\.cluster\\.local)?)?\\.?$");

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
    return new ResolvedService(ObjectRef.of(vs), awsName, vs, provider, kubernetesNames(awsName, vs.namespace(), ctx));
  }

  /**
   * Host names a client may use for the Kubernetes Service this virtual service stands for: when
   * the App Mesh name is {@code <service>.<namespace>} (optionally {@code .svc[.cluster.local]}) and
   * that Service exists in the input, or the namespace is the VirtualService's own.
   */
  static List<String> kubernetesNames(String awsName, String ownNamespace, BuildContext ctx) {
    Matcher m = K8S_NAME.matcher(awsName);
    if (!m.matches()) {
      return List.of();
    }
    String svc = m.group(1);
    String ns = m.group(3);
    boolean known = ns.equals(ownNamespace) || ctx.serviceExists(new ObjectRef("Service", ns, svc));
    if (!known) {
      return List.of();
    }
    TreeSet<String> names = new TreeSet<>(List.of(svc, svc + "." + ns, svc + "." + ns + ".svc", svc + "." + ns + ".svc.cluster.local"));
    names.remove(awsName);
    return List.copyOf(names);
  }
}
