package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.model.ResolvedService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A proxyless gRPC client with a VirtualNode's identity: for each backend virtual service and each
 * of its HTTP-family ports, an API listener named {@code <service>:<port>} (and {@code <service>}
 * when it has one port) over the same route configuration the node's sidecar uses on that port,
 * less the ALLOW_ALL pass-through virtual host (gRPC cannot use an ORIGINAL_DST cluster); plain EDS
 * clusters with IP endpoints. Only the clusters routes forward to: gRPC does not mirror (grpc-java
 * does not read request_mirror_policies), so its routes carry no mirror and it gets no mirror
 * cluster; a redirect route is left out of its routes (gRPC NACKs a route whose action is a
 * redirect), see {@code xds.RouteFactory}.
 */
public final class ProxylessPlanner implements ProxyPlanner {
  private final EndpointOptions endpoints;

  public ProxylessPlanner() {
    this(EndpointOptions.appMesh());
  }

  /**
   * @param endpoints the options the mesh's Envoy proxies are planned with: the route
   *     configurations are shared with them; this client's own clusters are always EDS
   */
  public ProxylessPlanner(EndpointOptions endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public NodeKey.Kind kind() {
    return NodeKey.Kind.PROXYLESS;
  }

  @Override
  public List<NodeKey> keys(MeshModel model) {
    return List.of();
  }

  @Override
  public ProxyPlan plan(NodeKey key, PlanContext ctx) {
    MeshGraph mesh = ctx.model().mesh(key.mesh());
    ResolvedNode node = mesh == null ? null : mesh.nodes().get(key.name());
    if (node == null) {
      return null;
    }
    List<String> notes = new ArrayList<>();
    Egress egress = Egress.plan(mesh, node, EndpointSource.envoy(endpoints, mesh.name()), ctx, notes);
    List<ListenerPlan> listeners = new ArrayList<>();
    for (ResolvedNode.Backend b : node.backends()) {
      ResolvedService vs = mesh.services().get(b.service());
      if (vs == null) {
        continue;
      }
      var httpPorts = ctx.servicePorts(mesh, vs).entrySet().stream()
          .filter(e -> e.getValue().isHttpFamily() && egress.ports().get(e.getKey()) != null
              && egress.ports().get(e.getKey()).isHttpFamily())
          .map(Map.Entry::getKey).toList();
      for (long port : httpPorts) {
        listeners.add(new ListenerPlan.Api(vs.awsName(), port, new RouteConfigId(Direction.EGRESS, port), null));
      }
      if (httpPorts.size() == 1) {
        listeners.add(new ListenerPlan.Api(vs.awsName(), null, new RouteConfigId(Direction.EGRESS, httpPorts.get(0)), null));
      }
    }
    if (egress.ports().containsValue(io.appmeshxds.translator.api.PortProtocol.tcp)) {
      notes.add("tcp backends are not available to proxyless gRPC clients");
    }
    Map<ClusterId, ClusterPlan> clusters = new TreeMap<>();
    for (RouteConfigPlan rc : egress.routeConfigs()) {
      rc.virtualHosts().forEach(vh -> vh.routes().forEach(r -> r.action().clusters().forEach(c -> {
        if (c.cluster() instanceof ClusterId.Backend be) {
          clusters.computeIfAbsent(be, x -> ClusterPlanner.backend(mesh, be, null, EndpointSource.PROXYLESS, ctx));
        }
      })));
    }
    return new ProxyPlan(key, listeners, egress.routeConfigs(), List.copyOf(clusters.values()),
        Egress.endpoints(mesh, clusters.keySet(), ctx), notes);
  }
}
