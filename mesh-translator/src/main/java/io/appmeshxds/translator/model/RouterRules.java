package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.VirtualRouter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Object-local rules of a VirtualRouter and its routes. */
final class RouterRules {
  private RouterRules() {}

  static void check(VirtualRouter vr, Findings f) {
    VirtualRouter.Spec s = vr.spec();
    CommonRules.awsName(s.awsName(), f);
    if (s.listeners().isEmpty()) {
      // Why not an error: App Mesh accepted a router without listeners (the field is optional in the
      // CRD and the API; only an explicit empty list breaks the CRD's minItems, caught on reading).
      f.warn("spec.listeners", "no listeners: the virtual service this router provides has no port, so it gets no traffic");
    }
    Map<Long, PortProtocol> listenerPorts = new HashMap<>();
    for (int i = 0; i < s.listeners().size(); i++) {
      var pm = s.listeners().get(i).portMapping();
      if (pm != null && pm.port() != null && listenerPorts.putIfAbsent(pm.port(), pm.protocol()) != null) {
        f.error("spec.listeners[" + i + "].portMapping.port", "port " + pm.port() + " is used by another listener");
      }
    }
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < s.routes().size(); i++) {
      VirtualRouter.Route r = s.routes().get(i);
      String at = "spec.routes[" + i + "]";
      if (r.name() != null) {
        Integer first = names.putIfAbsent(r.name(), i);
        if (first != null) {
          f.error(at + ".name", "duplicate route name \"" + r.name() + "\" (also routes[" + first + "])");
        }
      }
      route(at, r, listenerPorts, f);
    }
  }

  /** The protocol a route type serves. */
  static PortProtocol protocolOf(VirtualRouter.Route r) {
    if (r.httpRoute() != null) {
      return PortProtocol.http;
    }
    if (r.http2Route() != null) {
      return PortProtocol.http2;
    }
    if (r.grpcRoute() != null) {
      return PortProtocol.grpc;
    }
    return r.tcpRoute() != null ? PortProtocol.tcp : null;
  }

  /** {@code match.port} of any route type, or null. */
  static Long matchPort(VirtualRouter.Route r) {
    if (r.httpRoute() != null && r.httpRoute().match() != null) {
      return r.httpRoute().match().port();
    }
    if (r.http2Route() != null && r.http2Route().match() != null) {
      return r.http2Route().match().port();
    }
    if (r.grpcRoute() != null && r.grpcRoute().match() != null) {
      return r.grpcRoute().match().port();
    }
    if (r.tcpRoute() != null && r.tcpRoute().match() != null) {
      return r.tcpRoute().match().port();
    }
    return null;
  }

  /** Weighted targets of any route type. */
  static List<VirtualRouter.WeightedTarget> targets(VirtualRouter.Route r) {
    VirtualRouter.RouteAction a = null;
    if (r.httpRoute() != null) {
      a = r.httpRoute().action();
    } else if (r.http2Route() != null) {
      a = r.http2Route().action();
    } else if (r.grpcRoute() != null) {
      a = r.grpcRoute().action();
    } else if (r.tcpRoute() != null) {
      a = r.tcpRoute().action();
    }
    return a == null ? List.of() : a.weightedTargets();
  }

  private static void route(String at, VirtualRouter.Route r, Map<Long, PortProtocol> listeners, Findings f) {
    if (!f.exactlyOne(at, true, "grpcRoute", r.grpcRoute(), "httpRoute", r.httpRoute(), "http2Route", r.http2Route(),
        "tcpRoute", r.tcpRoute())) {
      return;
    }
    PortProtocol protocol = protocolOf(r);
    String typeField = at + "." + (protocol == PortProtocol.grpc ? "grpcRoute" : protocol == PortProtocol.tcp ? "tcpRoute"
        : protocol == PortProtocol.http2 ? "http2Route" : "httpRoute");
    Long port = matchPort(r);
    if (listeners.size() > 1 && port == null) {
      f.error(typeField + ".match.port", "required: the router has more than one listener");
    } else if (port != null && !listeners.isEmpty() && !listeners.containsKey(port)) {
      f.error(typeField + ".match.port", "port " + port + " is not a listener port of this router " + listeners.keySet());
    }
    if (!listeners.isEmpty()) {
      PortProtocol lp = port != null ? listeners.get(port) : listeners.size() == 1 ? listeners.values().iterator().next() : null;
      if (lp != null) {
        RouterResolver.compatible(protocol, lp, typeField, "router listener", f);
      }
    }
    if (r.httpRoute() != null || r.http2Route() != null) {
      httpRoute(typeField, r.httpRoute() != null ? r.httpRoute() : r.http2Route(), protocol, f);
    } else if (r.grpcRoute() != null) {
      grpcRoute(typeField, r.grpcRoute(), f);
    }
    List<VirtualRouter.WeightedTarget> targets = targets(r);
    long total = 0;
    for (int i = 0; i < targets.size(); i++) {
      VirtualRouter.WeightedTarget t = targets.get(i);
      String tf = typeField + ".action.weightedTargets[" + i + "]";
      if (f.exactlyOne(tf, true, "virtualNodeRef", t.virtualNodeRef(), "virtualNodeARN", t.virtualNodeARN())
          && t.virtualNodeARN() != null) {
        Arns.parse(t.virtualNodeARN(), "virtualNode", tf + ".virtualNodeARN", f);
      }
      total += t.weight() == null ? 0 : t.weight();
    }
    if (!targets.isEmpty() && total <= 0) {
      f.error(typeField + ".action.weightedTargets", "the total weight must be positive (all weights are 0)");
    } else if (total > 100) {
      f.error(typeField + ".action.weightedTargets", "the total weight must be at most 100 (got " + total + ")");
    }
  }

  private static void httpRoute(String at, VirtualRouter.HttpRoute h, PortProtocol protocol, Findings f) {
    VirtualRouter.HttpRouteMatch m = h.match();
    if (m != null) {
      String mf = at + ".match";
      if (m.prefix() == null && m.path() == null) {
        f.error(mf, "Either Prefix or Path must be specified");
      } else if (m.prefix() != null && m.path() != null) {
        f.error(mf, "Both Prefix and Path cannot be specified, only 1 allowed");
      }
      CommonRules.prefix(mf + ".prefix", m.prefix(), f);
      CommonRules.path(mf + ".path", m.path(), f);
      CommonRules.headers(mf + ".headers", m.headers(), f);
      CommonRules.queryParameters(mf + ".queryParameters", m.queryParameters(), f);
      if (m.scheme() != null && protocol != PortProtocol.http2) {
        f.warn(mf + ".scheme", "applies to HTTP/2 routes only (App Mesh); matched as the :scheme header anyway");
      }
    }
    VirtualRouter.HttpRetryPolicy rp = h.retryPolicy();
    if (rp != null && rp.httpRetryEvents().isEmpty() && rp.tcpRetryEvents().isEmpty()) {
      f.error(at + ".retryPolicy", "specify at least one retry event (httpRetryEvents or tcpRetryEvents)");
    }
  }

  private static void grpcRoute(String at, VirtualRouter.GrpcRoute g, Findings f) {
    VirtualRouter.GrpcRouteMatch m = g.match();
    if (m != null) {
      if (m.methodName() != null && m.serviceName() == null) {
        f.error(at + ".match.methodName", "requires match.serviceName");
      }
      CommonRules.headers(at + ".match.metadata", m.metadata(), f);
    }
    VirtualRouter.GrpcRetryPolicy rp = g.retryPolicy();
    if (rp != null && rp.grpcRetryEvents().isEmpty() && rp.httpRetryEvents().isEmpty() && rp.tcpRetryEvents().isEmpty()) {
      f.error(at + ".retryPolicy", "specify at least one retry event (grpcRetryEvents, httpRetryEvents or tcpRetryEvents)");
    }
  }
}
