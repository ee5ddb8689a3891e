package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.ResolvedRouter;
import io.appmeshxds.translator.model.ResolvedService;
import io.appmeshxds.translator.model.ServiceRoutes;
import java.util.ArrayList;
import java.util.List;

/**
 * The routes of a virtual service on one port: its router's routes (in priority order), or a single
 * route to its node. Shared by sidecar egress, proxyless clients and gateway composition.
 */
public final class VirtualHostPlanner {
  private VirtualHostPlanner() {}

  /** Memo key of an egress virtual host. */
  private record HostKey(String mesh, String service, long port) {}

  /**
   * Egress virtual host of {@code vs} on {@code port}, memoized per build (the same for every
   * client). Domains: exactly the App Mesh name and {@code <name>:<port>}, as App Mesh listed them.
   *
   * <p>Why no Kubernetes forms ({@code web}, {@code web.apps.svc.cluster.local}): on App Mesh a
   * request addressed by another name than the virtual service's matched no virtual host and left
   * through the pass-through (or was refused), so it never took the router's weights; listing
   * those names would move such traffic onto the router.
   */
  public static VirtualHostPlan egress(MeshGraph mesh, ResolvedService vs, long port, PlanContext ctx) {
    String name = vs.awsName();
    return ctx.memo(new HostKey(mesh.name(), name, port), () -> {
      // Read through the graph, not the caller's copy: memoized work records only what it reads.
      ResolvedService cur = mesh.services().get(name);
      if (cur == null) {
        return new VirtualHostPlan(name, List.of(name), List.of());
      }
      return new VirtualHostPlan(cur.awsName(), List.of(cur.awsName(), cur.awsName() + ":" + port),
          routes(mesh, cur, port));
    });
  }

  /**
   * Routes of {@code vs} on {@code port}, in evaluation order; empty when it has no provider. Gateway
   * API routes attached to the service that cover {@code port} replace its provider's routes there
   * (Gateway API wins; see docs/gateway-api.md).
   */
  public static List<RoutePlan> routes(MeshGraph mesh, ResolvedService vs, long port) {
    List<RoutePlan> out = new ArrayList<>();
    ServiceRoutes gamma = mesh.routesOf(vs.awsName());
    if (gamma != null && !gamma.forPort(port).isEmpty()) {
      return GatewayApiRoutes.routes(mesh.name(), gamma, port);
    }
    if (vs.provider() instanceof ResolvedService.RouterProvider rp) {
      ResolvedRouter r = mesh.routers().get(rp.router());
      if (r != null) {
        for (ResolvedRouter.Route route : r.routesForPort(port)) {
          if (route.protocol().isHttpFamily()) {
            out.add(route(mesh.name(), route));
          }
        }
      }
    } else if (vs.provider() instanceof ResolvedService.NodeProvider np) {
      var node = mesh.nodes().get(np.node());
      VirtualNode.Listener l = node == null ? null : listener(node.node(), port);
      if (l != null && l.portMapping().protocol().isHttpFamily()) {
        ClusterId c = new ClusterId.Backend(mesh.name(), np.node(), l.portMapping().protocol(), port);
        // App Mesh's defaults, whatever the node listener's timeout: on App Mesh a listener timeout
        // above 15 s had "no impact on outbound requests" to a VirtualNode-provided service (roadmap
        // #443, #444); a VirtualRouter route is how a caller gets another timeout. The listener's
        // timeout still applies on the node's own ingress route.
        out.add(new RoutePlan(vs.awsName(), RoutePlan.Match.prefix("/"),
            new RoutePlan.Action(List.of(new WeightedCluster(c, 100)), false, Defaults.REQUEST_TIMEOUT_MS,
                Defaults.IDLE_TIMEOUT_MS, Defaults.defaultRetry(), null)));
      }
    }
    return out;
  }

  /** One router route as an Envoy route: match, weighted targets, retry (App Mesh's default when none), timeouts. */
  public static RoutePlan route(String mesh, ResolvedRouter.Route route) {
    VirtualRouter.Route spec = route.spec();
    RoutePlan.Match match;
    RoutePlan.Retry retry;
    io.appmeshxds.translator.api.HttpTimeout timeout;
    if (spec.grpcRoute() != null) {
      match = Routes.grpc(spec.grpcRoute().match());
      retry = spec.grpcRoute().retryPolicy() == null ? Defaults.defaultRetry() : Routes.retry(spec.grpcRoute().retryPolicy());
      timeout = spec.grpcRoute().timeout();
    } else {
      VirtualRouter.HttpRoute h = spec.httpRoute() != null ? spec.httpRoute() : spec.http2Route();
      match = Routes.http(h.match());
      retry = h.retryPolicy() == null ? Defaults.defaultRetry() : Routes.retry(h.retryPolicy());
      timeout = h.timeout();
    }
    return new RoutePlan(route.name(), match, new RoutePlan.Action(clusters(mesh, route), true,
        Routes.requestTimeout(timeout), Routes.idleTimeout(timeout), retry, null));
  }

  /** Weighted backend clusters of a route's targets, in spec order. */
  public static List<WeightedCluster> clusters(String mesh, ResolvedRouter.Route route) {
    List<WeightedCluster> out = new ArrayList<>();
    for (ResolvedRouter.Target t : route.targets()) {
      out.add(new WeightedCluster(new ClusterId.Backend(mesh, t.node(), t.protocol(), t.port()), t.weight()));
    }
    return out;
  }

  /** TCP targets of {@code vs} on {@code port}: its router's first tcp route, or its node. */
  public static List<WeightedCluster> tcpTargets(MeshGraph mesh, ResolvedService vs, long port) {
    if (vs.provider() instanceof ResolvedService.RouterProvider rp) {
      ResolvedRouter r = mesh.routers().get(rp.router());
      if (r != null) {
        for (ResolvedRouter.Route route : r.routesForPort(port)) {
          if (route.protocol() == PortProtocol.tcp) {
            return clusters(mesh.name(), route);
          }
        }
      }
    } else if (vs.provider() instanceof ResolvedService.NodeProvider np) {
      return List.of(new WeightedCluster(new ClusterId.Backend(mesh.name(), np.node(), PortProtocol.tcp, port), 100));
    }
    return List.of();
  }

  /**
   * Idle timeout of the egress tcp_proxy for {@code vs} on {@code port}, in milliseconds: the
   * {@code timeout.idle} of the tcp route that {@link #tcpTargets} uses, or for a node provider its
   * listener's tcp idle timeout; App Mesh's 300 s when unset, 0 disables. Unlike HTTP node
   * providers (App Mesh's defaults, see {@link #routes}), no public source says what App Mesh did
   * for tcp node providers, so the listener's idle timeout is kept.
   */
  public static long tcpIdleTimeout(MeshGraph mesh, ResolvedService vs, long port) {
    io.appmeshxds.translator.api.TcpTimeout t = null;
    if (vs.provider() instanceof ResolvedService.RouterProvider rp) {
      ResolvedRouter r = mesh.routers().get(rp.router());
      if (r != null) {
        for (ResolvedRouter.Route route : r.routesForPort(port)) {
          if (route.protocol() == PortProtocol.tcp) {
            t = route.spec().tcpRoute().timeout();
            break;
          }
        }
      }
    } else if (vs.provider() instanceof ResolvedService.NodeProvider np) {
      var node = mesh.nodes().get(np.node());
      VirtualNode.Listener l = node == null ? null : listener(node.node(), port);
      t = l == null || l.timeout() == null ? null : l.timeout().tcp();
    }
    return t == null ? Defaults.IDLE_TIMEOUT_MS : Routes.millis(t.idle(), Defaults.IDLE_TIMEOUT_MS);
  }

  static VirtualNode.Listener listener(VirtualNode vn, long port) {
    for (VirtualNode.Listener l : vn.spec().listeners()) {
      if (l.portMapping().port() == port) {
        return l;
      }
    }
    return null;
  }
}
