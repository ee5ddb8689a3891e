package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.incremental.Dep;
import io.appmeshxds.translator.incremental.Reads;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.SortedMap;

/**
 * One mesh: its accepted objects by App Mesh name. The maps are {@link GraphMap}s: immutable,
 * structurally shared between builds, and they record what planners read from them.
 *
 * @param name the mesh's App Mesh name
 * @param mesh the Mesh object
 * @param egress effective egress filter (DROP_ALL when unset, as App Mesh)
 * @param nodes VirtualNodes by awsName
 * @param services VirtualServices by awsName
 * @param routers VirtualRouters by awsName
 * @param gateways VirtualGateways by awsName
 * @param gatewayRoutes GatewayRoutes by awsName
 * @param serviceRoutes Gateway API routes by VirtualService awsName; read them with {@link
 *     #routesOf} (which records the read)
 */
public record MeshGraph(
    String name,
    Mesh mesh,
    Mesh.EgressFilterType egress,
    SortedMap<String, ResolvedNode> nodes,
    SortedMap<String, ResolvedService> services,
    SortedMap<String, ResolvedRouter> routers,
    SortedMap<String, ResolvedGateway> gateways,
    SortedMap<String, ResolvedGatewayRoute> gatewayRoutes,
    SortedMap<String, ServiceRoutes> serviceRoutes) {

  /** Without Gateway API routes. */
  public MeshGraph(String name, Mesh mesh, Mesh.EgressFilterType egress, SortedMap<String, ResolvedNode> nodes,
      SortedMap<String, ResolvedService> services, SortedMap<String, ResolvedRouter> routers,
      SortedMap<String, ResolvedGateway> gateways, SortedMap<String, ResolvedGatewayRoute> gatewayRoutes) {
    this(name, mesh, egress, nodes, services, routers, gateways, gatewayRoutes, null);
  }

  public MeshGraph {
    serviceRoutes = serviceRoutes == null ? java.util.Collections.emptySortedMap()
        : java.util.Collections.unmodifiableSortedMap(serviceRoutes);
    nodes = GraphMap.of(name, Kind.VirtualNode, nodes);
    services = GraphMap.of(name, Kind.VirtualService, services);
    routers = GraphMap.of(name, Kind.VirtualRouter, routers);
    gateways = GraphMap.of(name, Kind.VirtualGateway, gateways);
    gatewayRoutes = GraphMap.of(name, Kind.GatewayRoute, gatewayRoutes);
  }

  /** The Gateway API routes that govern VirtualService {@code service}, or null (recorded as read). */
  public ServiceRoutes routesOf(String service) {
    Reads.read(new Dep.Gamma(name, service));
    return serviceRoutes.get(service);
  }

  /**
   * The listener ports of a VirtualService's provider (its router's, or its node's), by port: the
   * ports callers reach it on. Reads the provider through this graph's maps, so memoized planning
   * work records the read.
   */
  public SortedMap<Long, PortProtocol> providerPorts(ResolvedService vs) {
    SortedMap<Long, PortProtocol> ports = new java.util.TreeMap<>();
    if (vs.provider() instanceof ResolvedService.RouterProvider rp) {
      ResolvedRouter r = routers.get(rp.router());
      if (r != null) {
        r.router().spec().listeners().forEach(l -> ports.putIfAbsent(l.portMapping().port(), l.portMapping().protocol()));
      }
    } else if (vs.provider() instanceof ResolvedService.NodeProvider np) {
      ResolvedNode n = nodes.get(np.node());
      if (n != null) {
        n.node().spec().listeners().forEach(l -> ports.putIfAbsent(l.portMapping().port(), l.portMapping().protocol()));
      }
    }
    return ports;
  }

  boolean contains(ObjectRef ref) {
    return ObjectRef.of(mesh).equals(ref)
        || nodes.values().stream().anyMatch(n -> n.ref().equals(ref))
        || services.values().stream().anyMatch(n -> n.ref().equals(ref))
        || routers.values().stream().anyMatch(n -> n.ref().equals(ref))
        || gateways.values().stream().anyMatch(n -> n.ref().equals(ref))
        || gatewayRoutes.values().stream().anyMatch(n -> n.ref().equals(ref));
  }
}
