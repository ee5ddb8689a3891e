package io.appmeshxds.tracing.logs.xds;

import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.ResolvedGateway;
import io.appmeshxds.translator.plan.Direction;
import io.appmeshxds.translator.plan.FilterChainPlan;
import io.appmeshxds.translator.plan.ListenerPlan;
import io.appmeshxds.translator.plan.NetworkFilterPlan;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.plan.ProxyPlanner;
import io.appmeshxds.translator.plan.RouteConfigId;
import io.appmeshxds.translator.plan.RouteConfigPlan;
import io.appmeshxds.translator.plan.SidecarPlanner;
import io.appmeshxds.translator.plan.VirtualHostPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for the gateway module's planner (not on this module's classpath): one ingress
 * listener per VirtualGateway listener with an HCM (stat prefix {@code ingress}, RDS
 * {@code rds_ingress_http_<port>}, the gateway's file access log) and an empty catch-all virtual
 * host. Enough to show what the access-log decorator does to a gateway's HCM.
 */
final class GatewayLikePlanner implements ProxyPlanner {

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
    ResolvedGateway g = mesh == null ? null : mesh.gateways().get(key.name());
    if (g == null) {
      return null;
    }
    List<ListenerPlan> listeners = new ArrayList<>();
    List<RouteConfigPlan> routes = new ArrayList<>();
    for (VirtualGateway.Listener l : g.gateway().spec().listeners()) {
      long port = l.portMapping().port();
      RouteConfigId rc = new RouteConfigId(Direction.INGRESS, port);
      NetworkFilterPlan.Http hcm = new NetworkFilterPlan.Http("ingress", rc,
          SidecarPlanner.accessLog(g.gateway().spec().logging()), List.of());
      listeners.add(new ListenerPlan.Socket(Direction.INGRESS, port, false, false,
          List.of(new FilterChainPlan("gateway_" + port, null, List.of(), FilterChainPlan.Transport.ANY, null, hcm))));
      routes.add(new RouteConfigPlan(rc, List.of(new VirtualHostPlan("gateway", List.of("*"), List.of()))));
    }
    return new ProxyPlan(key, listeners, routes, List.of(), List.of(), List.of());
  }
}
