package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Resolves a VirtualRouter's weighted targets and orders its routes. */
final class RouterResolver {
  private RouterResolver() {}

  private record Indexed(int index, ResolvedRouter.Route route) {}

  static ResolvedRouter resolve(VirtualRouter vr, String mesh, BuildContext ctx, Findings f) {
    List<Indexed> routes = new ArrayList<>();
    List<VirtualRouter.Route> spec = vr.spec().routes();
    long singlePort = vr.spec().listeners().size() == 1 ? vr.spec().listeners().get(0).portMapping().port() : -1;
    for (int i = 0; i < spec.size(); i++) {
      VirtualRouter.Route r = spec.get(i);
      PortProtocol protocol = RouterRules.protocolOf(r);
      String typeField = "spec.routes[" + i + "]." + typeKey(r);
      Long port = RouterRules.matchPort(r);
      List<ResolvedRouter.Target> targets = new ArrayList<>();
      List<VirtualRouter.WeightedTarget> wts = RouterRules.targets(r);
      for (int t = 0; t < wts.size(); t++) {
        ResolvedRouter.Target target = target(vr, wts.get(t), protocol, mesh, ctx, typeField + ".action.weightedTargets[" + t + "]", f);
        if (target != null) {
          targets.add(target);
        }
      }
      routes.add(new Indexed(i, new ResolvedRouter.Route(r.name(), r.priority(), protocol, port != null ? port : singlePort, r, targets)));
    }
    // Priority first (0 = highest), routes without priority after; ties keep spec order.
    routes.sort(Comparator.comparingLong((Indexed x) -> x.route().priority() == null ? Long.MAX_VALUE : x.route().priority())
        .thenComparingInt(Indexed::index));
    return new ResolvedRouter(ObjectRef.of(vr), Names.awsName(vr), vr, routes.stream().map(Indexed::route).toList());
  }

  static String typeKey(VirtualRouter.Route r) {
    return r.grpcRoute() != null ? "grpcRoute" : r.http2Route() != null ? "http2Route" : r.tcpRoute() != null ? "tcpRoute" : "httpRoute";
  }

  private static ResolvedRouter.Target target(
      VirtualRouter vr, VirtualRouter.WeightedTarget wt, PortProtocol protocol, String mesh, BuildContext ctx, String field, Findings f) {
    ObjectRef ref =
        wt.virtualNodeRef() != null
            ? ctx.resolve(Kind.VirtualNode, ctx.refTo(Kind.VirtualNode, wt.virtualNodeRef(), vr.namespace()), mesh, true,
                field + ".virtualNodeRef", f)
            : ctx.resolveArn(Kind.VirtualNode, wt.virtualNodeARN(), mesh, true, field + ".virtualNodeARN", f);
    if (ref == null) {
      return null;
    }
    BuildContext.Accepted a = ctx.accepted(ref);
    VirtualNode vn = (VirtualNode) a.object();
    VirtualNode.Listener listener = listenerFor(vn, wt.port(), field + ".port", f);
    if (listener == null) {
      return null;
    }
    PortProtocol lp = listener.portMapping().protocol();
    if (!compatible(protocol, lp, field, "target virtual node " + a.awsName() + " listener", f)) {
      return null;
    }
    return new ResolvedRouter.Target(a.awsName(), listener.portMapping().port(), lp, wt.weight());
  }

  /** The node listener a target reaches: by port, or the only one. */
  static VirtualNode.Listener listenerFor(VirtualNode vn, Long port, String field, Findings f) {
    List<VirtualNode.Listener> ls = vn.spec().listeners();
    if (ls.isEmpty()) {
      f.error(Reason.ReferenceNotActive, field, "target virtual node " + vn.namespace() + "/" + vn.name() + " has no listeners");
      return null;
    }
    if (port == null) {
      if (ls.size() > 1) {
        f.error(field, "required: target virtual node " + vn.namespace() + "/" + vn.name() + " has more than one listener");
        return null;
      }
      return ls.get(0);
    }
    for (VirtualNode.Listener l : ls) {
      if (port.equals(l.portMapping().port())) {
        return l;
      }
    }
    f.error(field, "target virtual node " + vn.namespace() + "/" + vn.name() + " has no listener on port " + port);
    return null;
  }

  /**
   * Route type vs listener protocol. An HTTP-family mismatch (an httpRoute on a grpc listener, which
   * Flagger writes for gRPC canaries) works in Envoy and is a warning; tcp against HTTP is an error.
   */
  static boolean compatible(PortProtocol route, PortProtocol listener, String field, String what, Findings f) {
    if (route == listener) {
      return true;
    }
    if (route.isHttpFamily() && listener.isHttpFamily()) {
      f.warn(field, "route type " + route + " differs from the " + what + " protocol " + listener + "; served as " + listener);
      return true;
    }
    f.error(field, "route type " + route + " does not match the " + what + " protocol " + listener);
    return false;
  }
}
