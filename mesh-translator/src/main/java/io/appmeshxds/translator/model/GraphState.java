package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.incremental.Dep;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The resolved graph as the builder keeps it between builds: per mesh, one {@link GraphMap} per
 * kind, updated one accepted object at a time. Every update reports the graph {@link Dep}s it
 * changed, which is how planners learn what to plan again. Not thread-safe; the graphs it hands
 * out are immutable.
 */
final class GraphState {

  private static final class Parts {
    final String name;
    Mesh mesh;
    GraphMap<ResolvedNode> nodes;
    GraphMap<ResolvedService> services;
    GraphMap<ResolvedRouter> routers;
    GraphMap<ResolvedGateway> gateways;
    /** The gateways without their routes: what contributed gateway-route checks see. */
    GraphMap<ResolvedGateway> bareGateways;
    GraphMap<ResolvedGatewayRoute> routes;
    final Map<String, TreeSet<String>> routesOf = new HashMap<>();
    final Map<String, ResolvedGateway> vgs = new HashMap<>();

    Parts(String name) {
      this.name = name;
      nodes = GraphMap.empty(name, Kind.VirtualNode);
      services = GraphMap.empty(name, Kind.VirtualService);
      routers = GraphMap.empty(name, Kind.VirtualRouter);
      gateways = GraphMap.empty(name, Kind.VirtualGateway);
      bareGateways = GraphMap.empty(name, Kind.VirtualGateway);
      routes = GraphMap.empty(name, Kind.GatewayRoute);
    }

    Mesh.EgressFilterType egress() {
      return mesh.spec().egressFilter() != null && mesh.spec().egressFilter().type() != null
          ? mesh.spec().egressFilter().type() : Mesh.EgressFilterType.DROP_ALL;
    }
  }

  private final Map<String, Parts> meshes = new TreeMap<>();

  void clear() {
    meshes.clear();
  }

  private Parts parts(String mesh) {
    return meshes.computeIfAbsent(mesh, Parts::new);
  }

  /** Adds what {@code ref} serves; reports changed graph deps into {@code changed}. */
  void put(ObjectRef ref, BuildContext.Accepted a, Set<Dep> changed) {
    Kind kind = a.object().kind();
    if (kind == Kind.Mesh) {
      parts(a.awsName()).mesh = (Mesh) a.object();
      return;
    }
    if (a.resolved() == null) {
      return;
    }
    Parts p = parts(a.mesh());
    String name = a.awsName();
    switch (kind) {
      case VirtualNode -> p.nodes = set(p.nodes, name, (ResolvedNode) a.resolved(), changed);
      case VirtualService -> p.services = set(p.services, name, (ResolvedService) a.resolved(), changed);
      case VirtualRouter -> p.routers = set(p.routers, name, (ResolvedRouter) a.resolved(), changed);
      case VirtualGateway -> {
        VirtualGateway vg = (VirtualGateway) a.resolved();
        p.vgs.put(name, new ResolvedGateway(ref, name, vg, List.of()));
        p.bareGateways = set(p.bareGateways, name, p.vgs.get(name), changed);
        refreshGateway(p, name, changed);
      }
      case GatewayRoute -> {
        ResolvedGatewayRoute gr = (ResolvedGatewayRoute) a.resolved();
        ResolvedGatewayRoute old = p.routes.peek(name);
        if (old != null && !old.gateway().equals(gr.gateway())) {
          unlinkRoute(p, old, changed);
        }
        p.routes = set(p.routes, name, gr, changed);
        if (p.routesOf.computeIfAbsent(gr.gateway(), g -> new TreeSet<>()).add(name)) {
          refreshGateway(p, gr.gateway(), changed);
        }
      }
      default -> { }
    }
  }

  /** Removes what {@code ref} served, unless another object serves that name by now. */
  void remove(ObjectRef ref, BuildContext.Accepted a, Set<Dep> changed) {
    Kind kind = a.object().kind();
    if (kind == Kind.Mesh) {
      Parts p = meshes.get(a.awsName());
      if (p != null) {
        p.mesh = null;
      }
      return;
    }
    Parts p = meshes.get(a.mesh());
    if (p == null || a.resolved() == null) {
      return;
    }
    String name = a.awsName();
    switch (kind) {
      case VirtualNode -> p.nodes = unset(p.nodes, name, ref, ResolvedNode::ref, changed);
      case VirtualService -> p.services = unset(p.services, name, ref, ResolvedService::ref, changed);
      case VirtualRouter -> p.routers = unset(p.routers, name, ref, ResolvedRouter::ref, changed);
      case VirtualGateway -> {
        ResolvedGateway g = p.vgs.get(name);
        if (g != null && g.ref().equals(ref)) {
          p.vgs.remove(name);
          p.bareGateways = unset(p.bareGateways, name, ref, ResolvedGateway::ref, changed);
          refreshGateway(p, name, changed);
        }
      }
      case GatewayRoute -> {
        ResolvedGatewayRoute old = p.routes.peek(name);
        if (old != null && old.ref().equals(ref)) {
          p.routes = unset(p.routes, name, ref, ResolvedGatewayRoute::ref, changed);
          unlinkRoute(p, old, changed);
        }
      }
      default -> { }
    }
  }

  private void unlinkRoute(Parts p, ResolvedGatewayRoute gr, Set<Dep> changed) {
    TreeSet<String> s = p.routesOf.get(gr.gateway());
    if (s != null && s.remove(gr.awsName())) {
      if (s.isEmpty()) {
        p.routesOf.remove(gr.gateway());
      }
      refreshGateway(p, gr.gateway(), changed);
    }
  }

  /** Sets the gateway entry from its accepted VirtualGateway and its routes' names (sorted). */
  private void refreshGateway(Parts p, String gateway, Set<Dep> changed) {
    ResolvedGateway bare = p.vgs.get(gateway);
    if (bare == null) {
      ResolvedGateway old = p.gateways.peek(gateway);
      if (old != null) {
        p.gateways = unset(p.gateways, gateway, old.ref(), ResolvedGateway::ref, changed);
      }
      return;
    }
    TreeSet<String> rs = p.routesOf.get(gateway);
    p.gateways = set(p.gateways, gateway, new ResolvedGateway(bare.ref(), gateway, bare.gateway(),
        rs == null ? List.of() : List.copyOf(rs)), changed);
  }

  private static <V> GraphMap<V> set(GraphMap<V> m, String name, V value, Set<Dep> changed) {
    V old = m.peek(name);
    if (old == value || Objects.equals(old, value)) {
      return m;
    }
    report(m, name, old == null, changed);
    return m.plus(name, value);
  }

  private static <V> GraphMap<V> unset(GraphMap<V> m, String name, ObjectRef ref,
      java.util.function.Function<V, ObjectRef> refOf, Set<Dep> changed) {
    V old = m.peek(name);
    if (old == null || !refOf.apply(old).equals(ref)) {
      return m;
    }
    report(m, name, true, changed);
    return m.minus(name);
  }

  private static void report(GraphMap<?> m, String name, boolean presence, Set<Dep> changed) {
    changed.add(new Dep.Entry(m.mesh(), m.kind(), name));
    changed.add(new Dep.Values(m.mesh(), m.kind()));
    if (presence) {
      changed.add(new Dep.Names(m.mesh(), m.kind()));
    }
  }

  /** The model: one graph per accepted Mesh, with the Gateway API routes of each mesh's services. */
  MeshModel model(MeshResources in, Map<String, ? extends SortedMap<String, ServiceRoutes>> serviceRoutes) {
    TreeMap<String, MeshGraph> out = new TreeMap<>();
    for (Parts p : meshes.values()) {
      if (p.mesh != null) {
        out.put(p.name, new MeshGraph(p.name, p.mesh, p.egress(), p.nodes, p.services, p.routers, p.gateways, p.routes,
            serviceRoutes.get(p.name)));
      }
    }
    return new MeshModel(out, in);
  }

  /** What gateway-route checks see of a mesh: every accepted object but gateway routes; null if the mesh is not accepted. */
  MeshGraph forChecks(String mesh) {
    Parts p = meshes.get(mesh);
    if (p == null || p.mesh == null) {
      return null;
    }
    return new MeshGraph(p.name, p.mesh, p.egress(), p.nodes, p.services, p.routers, p.bareGateways,
        GraphMap.empty(p.name, Kind.GatewayRoute));
  }
}
