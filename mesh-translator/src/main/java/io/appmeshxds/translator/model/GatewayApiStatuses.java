package io.appmeshxds.translator.model;

import io.appmeshxds.translator.input.GatewayApi;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ListenerStatus;
import io.appmeshxds.translator.status.ObjectStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The parts of north-south statuses that Gateway API defines beside a Gateway's own conditions:
 * each listener's conditions and {@code attachedRoutes}, the GatewayClass's {@code Accepted}, and
 * which parents of a route are Gateways of ours. Pure, like {@link NorthSouth}.
 */
final class GatewayApiStatuses {
  private GatewayApiStatuses() {}

  static final String PROGRAMMED = NorthSouth.PROGRAMMED;
  static final String RESOLVED_REFS = "ResolvedRefs";
  static final String CONFLICTED = "Conflicted";
  static final String HTTP_ROUTE = "HTTPRoute";
  static final String GRPC_ROUTE = "GRPCRoute";

  /**
   * One status per listener of {@code g} with a name (the first of a name; {@code attachedRoutes}
   * 0, see {@link #withAttachedRoutes}), from the Gateway's problems at {@code spec.listeners[i]}.
   *
   * @param programmed whether the Gateway is served to its Envoy
   */
  static List<ListenerStatus> listeners(GatewayApi.Gateway g, List<Problem> problems, boolean programmed) {
    List<ListenerStatus> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<GatewayApi.Listener> ls = g.spec().listeners();
    for (int i = 0; i < ls.size(); i++) {
      GatewayApi.Listener l = ls.get(i);
      if (l.name() == null || l.name().isEmpty() || !names.add(l.name())) {
        continue; // status.listeners is keyed by name: a listener without one (or a second of a name) has no entry
      }
      String at = "spec.listeners[" + i + "]";
      List<Problem> errors = problems.stream()
          .filter(p -> p.isError() && under(p, at)).toList();
      boolean accepted = errors.isEmpty();
      boolean conflicted = errors.stream().anyMatch(p -> p.reason() == Reason.HostnameConflict);
      List<String> unsupportedKinds = new ArrayList<>();
      // Gateway API: a listener without allowedRoutes.kinds supports the route kinds of its protocol
      // that the implementation serves (HTTP: HTTPRoute, and GRPCRoute over h2c).
      Set<String> kinds = new java.util.LinkedHashSet<>(List.of(HTTP_ROUTE, GRPC_ROUTE));
      if (l.allowedRoutes() != null && !l.allowedRoutes().kinds().isEmpty()) {
        kinds.clear();
        for (GatewayApi.RouteGroupKind k : l.allowedRoutes().kinds()) {
          boolean ours = (HTTP_ROUTE.equals(k.kind()) || GRPC_ROUTE.equals(k.kind()))
              && (k.group() == null || GatewayApi.GROUP.equals(k.group()));
          if (ours) {
            kinds.add(k.kind());
          } else {
            unsupportedKinds.add((k.group() == null ? "" : k.group() + "/") + k.kind());
          }
        }
      }
      List<Condition> cs = new ArrayList<>();
      String port = l.port() == null ? "" : " on port " + l.port();
      cs.add(accepted ? new Condition(GammaResolver.ACCEPTED, "True", Reason.Accepted, "served" + port)
          : new Condition(GammaResolver.ACCEPTED, "False", errors.get(0).reason(), "left out: " + messages(errors)));
      cs.add(accepted && programmed ? new Condition(PROGRAMMED, "True", Reason.Programmed, "served to the Gateway's Envoy")
          : new Condition(PROGRAMMED, "False", Reason.Invalid, accepted ? "the Gateway is not programmed (see its"
              + " conditions)" : "the listener is not accepted"));
      cs.add(unsupportedKinds.isEmpty() ? new Condition(RESOLVED_REFS, "True", Reason.Accepted, "")
          : new Condition(RESOLVED_REFS, "False", Reason.InvalidRouteKinds, "allowedRoutes.kinds: not served on a"
              + " Gateway: " + String.join(", ", unsupportedKinds) + " (HTTPRoute and GRPCRoute are)"));
      cs.add(conflicted ? new Condition(CONFLICTED, "True", Reason.HostnameConflict, messages(errors.stream()
              .filter(p -> p.reason() == Reason.HostnameConflict).toList()))
          : new Condition(CONFLICTED, "False", Reason.NoConflicts, ""));
      out.add(new ListenerStatus(l.name(), accepted ? List.copyOf(kinds) : List.of(), 0, cs));
    }
    return out;
  }

  private static String messages(List<Problem> ps) {
    return String.join("; ", ps.stream().map(Problem::fieldAndMessage).toList());
  }

  /**
   * Accepted for every GatewayClass whose {@code controllerName} is ours ({@link
   * GatewayApi#GATEWAY_CONTROLLER}); classes of other controllers get no status from us.
   */
  static SortedMap<ObjectRef, ObjectStatus> classes(MeshResources in) {
    SortedMap<ObjectRef, ObjectStatus> out = new TreeMap<>();
    for (GatewayApi.Resource r : in.gatewayApi().values()) {
      if (r instanceof GatewayApi.GatewayClass c && GatewayApi.GATEWAY_CONTROLLER.equals(c.spec().controllerName())) {
        Findings f = new Findings(c.ref());
        if (c.spec().parametersRef() != null) {
          f.warn("spec.parametersRef", "not read: appmesh-xds's Gateways take no parameters");
        }
        List<Problem> all = Evaluator.attachSources(f.list(), in);
        out.put(c.ref(), new ObjectStatus(c.ref(), c.metadata().generationOrZero(), new Condition(GammaResolver.ACCEPTED,
            "True", Reason.Accepted, "its Gateways are served by appmesh-xds as VirtualGateway-style Envoys"), all, null,
            List.of()));
      }
    }
    return out;
  }

  /** Whether {@code p} is about the field {@code at} or something inside it. */
  private static boolean under(Problem p, String at) {
    return p.field().equals(at) || p.field().startsWith(at + ".");
  }

  /**
   * Whether a route is Accepted for its parent {@code index}: the route is, and that parentRef has
   * no error of its own ({@code spec.parentRefs[index]…}).
   */
  static boolean parentAccepted(ObjectStatus route, int index) {
    if (route == null || route.condition() == null || !route.condition().isTrue()) {
      return false;
    }
    String at = "spec.parentRefs[" + index + "]";
    return route.problems().stream().noneMatch(p -> p.isError() && under(p, at));
  }

  /**
   * The Gateways' statuses with each listener's {@code attachedRoutes}: the routes that a parentRef
   * attaches to it (see {@link NorthSouth.Attachment}) and that are Accepted for that parent.
   */
  static SortedMap<ObjectRef, ObjectStatus> withAttachedRoutes(SortedMap<ObjectRef, ObjectStatus> gateways,
      Map<ObjectRef, NorthSouth.RouteFacts> routes, Map<ObjectRef, ObjectStatus> routeStatuses) {
    if (gateways.isEmpty()) {
      return gateways;
    }
    Map<ObjectRef, Map<String, Set<ObjectRef>>> attached = new HashMap<>();
    routes.forEach((route, facts) -> facts.attachments().forEach((index, a) -> {
      if (parentAccepted(routeStatuses.get(route), index)) {
        for (String l : a.listeners()) {
          attached.computeIfAbsent(a.gateway(), k -> new HashMap<>()).computeIfAbsent(l, k -> new TreeSet<>()).add(route);
        }
      }
    }));
    if (attached.isEmpty()) {
      return gateways;
    }
    SortedMap<ObjectRef, ObjectStatus> out = new TreeMap<>(gateways);
    attached.forEach((gw, byListener) -> {
      ObjectStatus s = out.get(gw);
      if (s != null) {
        out.put(gw, s.withListeners(s.listeners().stream()
            .map(l -> l.withAttachedRoutes(byListener.getOrDefault(l.name(), Set.of()).size())).toList()));
      }
    });
    return out;
  }
}
