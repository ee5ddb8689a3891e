package io.appmeshxds.gateway.plan;

import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.ResolvedGateway;
import io.appmeshxds.translator.model.ResolvedGatewayRoute;
import io.appmeshxds.translator.plan.AccessLogPlan;
import io.appmeshxds.translator.plan.AcmSecrets;
import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.ClusterPlanner;
import io.appmeshxds.translator.plan.Direction;
import io.appmeshxds.translator.plan.EndpointPlan;
import io.appmeshxds.translator.plan.EndpointOptions;
import io.appmeshxds.translator.plan.EndpointPlanner;
import io.appmeshxds.translator.plan.EndpointSource;
import io.appmeshxds.translator.plan.ExtensionPlan;
import io.appmeshxds.translator.plan.ListenerPlan;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.plan.ProxyPlanner;
import io.appmeshxds.translator.plan.RouteConfigId;
import io.appmeshxds.translator.plan.RouteConfigPlan;
import io.appmeshxds.translator.plan.RoutePlan;
import io.appmeshxds.translator.plan.SidecarPlanner;
import io.appmeshxds.translator.plan.VirtualHostPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A VirtualGateway's Envoy: per gateway listener, {@code lds_ingress_0.0.0.0_<port>} and
 * {@code rds_ingress_http_<port>} with one virtual host (domains {@code *}) holding the composed
 * routes of every GatewayRoute on that listener, in {@link RouteOrder}; the backend clusters those
 * routes use (the sidecar's, with the gateway's {@code backendDefaults.clientPolicy} and the
 * listeners' connection pools) and their endpoints.
 *
 * <p>One hop: a request is matched once against the gateway routes composed with the routes of the
 * virtual router behind each target ({@link Composer}), where App Mesh redirected it to its own
 * egress listener and routed it a second time.
 */
public final class GatewayPlanner implements ProxyPlanner {
  private final EndpointOptions endpoints;

  /** Endpoints as App Mesh served them: Envoy resolves DNS hostnames itself. */
  public GatewayPlanner() {
    this(EndpointOptions.appMesh());
  }

  public GatewayPlanner(EndpointOptions endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public NodeKey.Kind kind() {
    return NodeKey.Kind.GATEWAY;
  }

  @Override
  public List<NodeKey> keys(MeshModel model) {
    List<NodeKey> out = new ArrayList<>();
    model.meshes().values().forEach(m -> m.gateways().keySet().forEach(g -> out.add(NodeKey.gateway(m.name(), g))));
    return out;
  }

  @Override
  public ProxyPlan plan(NodeKey key, PlanContext ctx) {
    MeshGraph mesh = ctx.model().mesh(key.mesh());
    ResolvedGateway gw = mesh == null ? null : mesh.gateways().get(key.name());
    if (gw == null) {
      return null;
    }
    VirtualGateway vg = gw.gateway();
    List<String> notes = new ArrayList<>();
    List<VirtualGateway.Listener> ls = new ArrayList<>(vg.spec().listeners());
    ls.sort(Comparator.comparingLong(l -> l.portMapping().port()));
    Map<Long, List<Composed>> byPort = new TreeMap<>();
    ls.forEach(l -> byPort.put(l.portMapping().port(), new ArrayList<>()));
    for (String name : gw.routes()) {
      Composed c = composed(mesh, name, ctx);
      Long port = c.spec().listenerPort() != null ? c.spec().listenerPort() : ls.size() == 1 ? ls.get(0).portMapping().port() : null;
      List<Composed> on = port == null ? null : byPort.get(port);
      if (on == null) {
        notes.add("gateway route " + name + " is not served: no listener on port " + port);
      } else if (c.problem() != null) {
        notes.add("gateway route " + name + " is not served with " + c.target() + ": " + c.problem());
      } else {
        c.composition().dropped().forEach(d -> notes.add("gateway route " + name + ": " + c.target() + " " + d
            + "; not served through this gateway route"));
        on.add(c);
      }
    }
    AccessLogPlan log = SidecarPlanner.accessLog(vg.spec().logging());
    Tls.ClientPolicy policy = vg.spec().backendDefaults() == null ? null : vg.spec().backendDefaults().clientPolicy();
    List<ListenerPlan> listeners = new ArrayList<>();
    List<RouteConfigPlan> routeConfigs = new ArrayList<>();
    Map<ClusterId.Backend, ClusterPlan.CircuitBreakers> limits = new TreeMap<>();
    Map<ClusterId.Backend, TreeSet<Long>> usedBy = new TreeMap<>();
    for (VirtualGateway.Listener l : ls) {
      long port = l.portMapping().port();
      String awaited = l.tls() == null ? null : AcmSecrets.awaitedCertificate(l.tls().certificate(), l.tls().mode(), ctx);
      if (awaited != null) {
        notes.add(AcmSecrets.awaitingNote("listener", port, awaited));
        continue;
      }
      List<Composed> composed = byPort.get(port);
      composed.sort(Comparator.comparing(Composed::spec, RouteOrder.ORDER));
      List<RoutePlan> routes = new ArrayList<>();
      composed.forEach(c -> routes.addAll(c.composition().routes()));
      routeConfigs.add(new RouteConfigPlan(new RouteConfigId(Direction.INGRESS, port),
          List.of(new VirtualHostPlan(gw.awsName(), List.of("*"), routes))));
      HealthCheckFilterPlan hc = GatewayListeners.healthCheck(l, routes, notes);
      List<ExtensionPlan> extensions = hc == null ? List.of() : List.of(hc);
      listeners.add(GatewayListeners.listener(l, ls.size(), log, extensions));
      ClusterPlan.CircuitBreakers cb = GatewayListeners.limits(l.connectionPool());
      for (RoutePlan r : routes) {
        r.action().forEachUsedCluster(c -> { // mirrors' clusters too
          if (c instanceof ClusterId.Backend b) {
            limits.merge(b, cb, GatewayListeners::min);
            usedBy.computeIfAbsent(b, x -> new TreeSet<>()).add(port);
          }
        });
      }
    }
    SortedMap<ClusterId, ClusterPlan> clusters = new TreeMap<>();
    EndpointSource source = EndpointSource.envoy(endpoints, mesh.name());
    limits.forEach((id, cb) -> {
      clusters.put(id, ctx.memo(new ClusterKey(id, policy, cb, source),
          () -> ClusterPlanner.backend(mesh, id, policy, source, ctx).withCircuitBreakers(cb)));
      if (usedBy.get(id).size() > 1 && sharedPools(ls, usedBy.get(id))) {
        notes.add("cluster of virtual node " + id.node() + " port " + id.port() + " is used by listeners " + usedBy.get(id)
            + " with different connection pools; it gets the stricter limit of each kind");
      }
    });
    return new ProxyPlan(key, listeners, routeConfigs, List.copyOf(clusters.values()), endpoints(mesh, clusters.values(), ctx),
        notes);
  }

  /** Memo key of a gateway route composed with its target. */
  private record ComposedKey(String mesh, String route) {}

  /** Memo key of a backend cluster with a gateway's client policy, connection limits and endpoint source. */
  private record ClusterKey(ClusterId.Backend id, Tls.ClientPolicy policy, ClusterPlan.CircuitBreakers limits,
      EndpointSource source) {}

  /**
   * A gateway route composed with its target, memoized: one plan (one object, its routes
   * translated once) until something it read changes. Why: a router change re-plans every gateway
   * with a route to it, and composing each of its hundred routes again was most of that.
   */
  private static Composed composed(MeshGraph mesh, String route, PlanContext ctx) {
    return ctx.memo(new ComposedKey(mesh.name(), route), () -> {
      ResolvedGatewayRoute r = mesh.gatewayRoutes().get(route);
      return Composed.of(mesh, r);
    });
  }

  /** Whether the listeners on {@code ports} have different connection pools. */
  private static boolean sharedPools(List<VirtualGateway.Listener> ls, TreeSet<Long> ports) {
    return ls.stream().filter(l -> ports.contains(l.portMapping().port())).map(l -> GatewayListeners.limits(l.connectionPool()))
        .distinct().count() > 1;
  }

  /**
   * Load assignments of the EDS backend clusters, as the sidecars get them (shared through the
   * build's memo); a cluster Envoy resolves itself has none.
   */
  private static List<EndpointPlan> endpoints(MeshGraph mesh, Iterable<ClusterPlan> clusters, PlanContext ctx) {
    List<EndpointPlan> out = new ArrayList<>();
    for (ClusterPlan c : clusters) {
      if (c.type() == ClusterPlan.Type.EDS && c.id() instanceof ClusterId.Backend b) {
        out.add(EndpointPlanner.memoized(mesh, b, ctx));
      }
    }
    return out;
  }
}
