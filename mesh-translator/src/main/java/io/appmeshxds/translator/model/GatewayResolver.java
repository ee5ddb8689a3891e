package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.LabelSelector;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualGatewayReference;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.input.K8sNamespace;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Associates GatewayRoutes with their VirtualGateway and resolves their targets. */
final class GatewayResolver {
  private GatewayResolver() {}

  static ResolvedGatewayRoute resolve(GatewayRoute gr, String mesh, BuildContext ctx, Findings f) {
    ObjectRef vgRef = gateway(gr, mesh, ctx, f);
    GatewayRoute.Target target = target(gr);
    ObjectRef vsRef = null;
    if (target != null && target.virtualService() != null) {
      var vs = target.virtualService();
      String field = typeField(gr) + ".action.target.virtualService";
      vsRef = vs.virtualServiceRef() != null
          ? ctx.resolve(Kind.VirtualService, ctx.refTo(Kind.VirtualService, vs.virtualServiceRef(), gr.namespace()), mesh, true,
              field + ".virtualServiceRef", f)
          : ctx.resolveArn(Kind.VirtualService, vs.virtualServiceARN(), mesh, true, field + ".virtualServiceARN", f);
    }
    if (vgRef == null || vsRef == null) {
      return null;
    }
    VirtualGateway vg = (VirtualGateway) ctx.accepted(vgRef).object();
    checkPorts(gr, vg, vsRef, target, ctx, f);
    long priority = gr.spec().priority() == null ? GatewayRoute.DEFAULT_PRIORITY : gr.spec().priority();
    ResolvedGatewayRoute resolved = new ResolvedGatewayRoute(ObjectRef.of(gr), Names.awsName(gr), gr,
        ctx.accepted(vgRef).awsName(), ctx.accepted(vsRef).awsName(), priority);
    MeshGraph graph = ctx.checks.isEmpty() ? null : ctx.graphForChecks(mesh);
    if (!f.hasErrors() && graph != null) {
      ctx.checks.forEach(c -> f.addAll(c.check(resolved, graph)));
    }
    return resolved;
  }

  private static ObjectRef gateway(GatewayRoute gr, String mesh, BuildContext ctx, Findings f) {
    VirtualGatewayReference explicit = gr.spec().virtualGatewayRef();
    if (explicit != null && explicit.name() != null) {
      String ns = explicit.namespace() == null || explicit.namespace().isEmpty() ? gr.namespace() : explicit.namespace();
      return ctx.resolve(Kind.VirtualGateway, ObjectRef.of(Kind.VirtualGateway, ns, explicit.name()), mesh, true,
          "spec.virtualGatewayRef", f);
    }
    K8sNamespace ns = ctx.namespace(gr.namespace());
    Map<String, String> nsLabels = ns == null ? Map.of() : ns.labels();
    List<ObjectRef> candidates = new ArrayList<>();
    for (MeshObject o : ctx.inputsOfKind(Kind.VirtualGateway)) {
      VirtualGateway vg = (VirtualGateway) o;
      LabelSelector nsSel = vg.spec().namespaceSelector();
      LabelSelector grSel = vg.spec().gatewayRouteSelector();
      boolean nsOk = nsSel != null && (ns == null ? nsSel.matchLabels().isEmpty() && nsSel.matchExpressions().isEmpty()
          || vg.namespace().equals(gr.namespace()) : nsSel.matches(nsLabels));
      boolean grOk = grSel == null || grSel.matches(gr.metadata().labels());
      if (nsOk && grOk) {
        candidates.add(ObjectRef.of(vg));
      }
    }
    if (candidates.size() != 1) {
      f.error(Reason.GatewayNotFound, "metadata.labels",
          (candidates.isEmpty() ? "failed to find matching virtualGateway for gatewayRoute: " + gr.name() + ", expecting 1 but found 0"
              : "found multiple matching virtualGateways for gatewayRoute: " + gr.name() + ", expecting 1 but found "
                  + candidates.size() + ": " + candidates.stream().map(r -> r.namespace() + "/" + r.name()).toList())
          + (ns == null ? " (Namespace " + gr.namespace() + " is not in the input)" : ""));
      return null;
    }
    return ctx.resolve(Kind.VirtualGateway, candidates.get(0), mesh, true, "spec.virtualGatewayRef", f);
  }

  static GatewayRoute.Target target(GatewayRoute gr) {
    var s = gr.spec();
    if (s.grpcRoute() != null && s.grpcRoute().action() != null) {
      return s.grpcRoute().action().target();
    }
    var h = s.httpRoute() != null ? s.httpRoute() : s.http2Route();
    return h != null && h.action() != null ? h.action().target() : null;
  }

  static String typeField(GatewayRoute gr) {
    var s = gr.spec();
    return s.grpcRoute() != null ? "spec.grpcRoute" : s.http2Route() != null ? "spec.http2Route" : "spec.httpRoute";
  }

  static PortProtocol protocol(GatewayRoute gr) {
    var s = gr.spec();
    return s.grpcRoute() != null ? PortProtocol.grpc : s.http2Route() != null ? PortProtocol.http2 : PortProtocol.http;
  }

  static Long matchPort(GatewayRoute gr) {
    var s = gr.spec();
    if (s.grpcRoute() != null) {
      return s.grpcRoute().match() == null ? null : s.grpcRoute().match().port();
    }
    var h = s.httpRoute() != null ? s.httpRoute() : s.http2Route();
    return h == null || h.match() == null ? null : h.match().port();
  }

  private static void checkPorts(GatewayRoute gr, VirtualGateway vg, ObjectRef vsRef, GatewayRoute.Target target,
      BuildContext ctx, Findings f) {
    String at = typeField(gr);
    Long port = matchPort(gr);
    List<VirtualGateway.Listener> ls = vg.spec().listeners();
    VirtualGateway.Listener listener = null;
    if (port == null && ls.size() > 1) {
      f.error(at + ".match.port", "required: virtual gateway " + vg.namespace() + "/" + vg.name() + " has more than one listener");
    } else if (port == null) {
      listener = ls.isEmpty() ? null : ls.get(0);
    } else {
      listener = ls.stream().filter(l -> port.equals(l.portMapping().port())).findFirst().orElse(null);
      if (listener == null) {
        f.error(at + ".match.port", "virtual gateway " + vg.namespace() + "/" + vg.name() + " has no listener on port " + port);
      }
    }
    if (listener != null) {
      RouterResolver.compatible(protocol(gr), listener.portMapping().protocol().asPortProtocol(), at,
          "virtual gateway listener", f);
    }
    // target.port is required when the virtual service's provider has several listeners.
    var vs = (io.appmeshxds.translator.api.VirtualService) ctx.accepted(vsRef).object();
    List<Long> providerPorts = providerPorts(vs, ctx);
    Long tport = target.port();
    if (tport == null && providerPorts.size() > 1) {
      f.error(at + ".action.target.port", "required: the target virtual service's provider has more than one listener "
          + providerPorts);
    } else if (tport != null && !providerPorts.isEmpty() && !providerPorts.contains(tport)) {
      f.error(at + ".action.target.port", "the target virtual service's provider has no listener on port " + tport + " "
          + providerPorts);
    }
  }

  /** Listener ports of a virtual service's provider (router or node). */
  static List<Long> providerPorts(io.appmeshxds.translator.api.VirtualService vs, BuildContext ctx) {
    var p = vs.spec().provider();
    if (p == null) {
      return List.of();
    }
    if (p.virtualRouter() != null && p.virtualRouter().virtualRouterRef() != null) {
      MeshObject o = ctx.input(ctx.refTo(Kind.VirtualRouter, p.virtualRouter().virtualRouterRef(), vs.namespace()));
      if (o instanceof VirtualRouter vr) {
        return vr.spec().listeners().stream().map(l -> l.portMapping().port()).toList();
      }
    }
    if (p.virtualNode() != null && p.virtualNode().virtualNodeRef() != null) {
      MeshObject o = ctx.input(ctx.refTo(Kind.VirtualNode, p.virtualNode().virtualNodeRef(), vs.namespace()));
      if (o instanceof VirtualNode vn) {
        return vn.spec().listeners().stream().map(l -> l.portMapping().port()).toList();
      }
    }
    return List.of();
  }
}
