package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.Mesh;
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
 */
public record MeshGraph(
    String name,
    Mesh mesh,
    Mesh.EgressFilterType egress,
    SortedMap<String, ResolvedNode> nodes,
    SortedMap<String, ResolvedService> services,
    SortedMap<String, ResolvedRouter> routers,
    SortedMap<String, ResolvedGateway> gateways,
    SortedMap<String, ResolvedGatewayRoute> gatewayRoutes) {

  public MeshGraph {
    nodes = GraphMap.of(name, Kind.VirtualNode, nodes);
    services = GraphMap.of(name, Kind.VirtualService, services);
    routers = GraphMap.of(name, Kind.VirtualRouter, routers);
    gateways = GraphMap.of(name, Kind.VirtualGateway, gateways);
    gatewayRoutes = GraphMap.of(name, Kind.GatewayRoute, gatewayRoutes);
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
