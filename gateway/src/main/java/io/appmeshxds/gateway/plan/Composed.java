package io.appmeshxds.gateway.plan;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.ResolvedGatewayRoute;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.model.ResolvedRouter;
import io.appmeshxds.translator.model.ResolvedService;
import io.appmeshxds.translator.plan.RoutePlan;
import io.appmeshxds.translator.plan.VirtualHostPlanner;
import io.appmeshxds.translator.re2.Re2Limit;
import io.appmeshxds.translator.re2.Re2ProgramSize;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One gateway route composed with its target, as the planner serves it and the composability check
 * reports it (one code path for both, so a GatewayRoute's status says what the gateway serves).
 *
 * @param spec the gateway route
 * @param target the target in words ({@code virtual router podinfo_demo port 9898})
 * @param problem why nothing can be composed before looking at routes (no route on the port, a
 *     hostname whose pattern is over Envoy's regex program size limit), or null
 * @param unsupported whether {@code problem} is a limit of this gateway (reason Unsupported, at the
 *     hostname match) rather than of the composition (NotComposable, at the target)
 * @param composition the composed routes and the dropped target routes
 */
record Composed(GatewayRouteSpec spec, String target, String problem, boolean unsupported,
    Composer.Composition composition) {

  /** Whether the gateway serves nothing of this route. */
  boolean empty() {
    return composition.routes().isEmpty();
  }

  static Composed of(MeshGraph mesh, ResolvedGatewayRoute r) {
    GatewayRouteSpec spec = GatewayRouteSpec.of(r);
    Composer.Composition none = new Composer.Composition(List.of(), List.of());
    ResolvedService vs = mesh.services().get(spec.targetService());
    if (vs == null || vs.provider() == null) {
      return new Composed(spec, "virtual service " + spec.targetService(), "the virtual service has no provider", false, none);
    }
    SortedMap<Long, PortProtocol> ports = mesh.providerPorts(vs);
    Long port = spec.targetPort() != null ? spec.targetPort() : ports.size() == 1 ? ports.firstKey() : null;
    String provider = vs.provider() instanceof ResolvedService.RouterProvider rp ? "virtual router " + rp.router()
        : "virtual node " + ((ResolvedService.NodeProvider) vs.provider()).node();
    if (port == null) {
      return new Composed(spec, provider, "its provider has " + ports.size() + " listeners and no target port is set", false,
          none);
    }
    String target = provider + " port " + port;
    if (spec.hostname() != null) {
      // The pattern the gateway emits, judged as Envoy judges it: one regex over the limit NACKs the
      // whole route table. Why it can fail for a legal name: case-insensitive k and s also match
      // the Kelvin sign and the long s, several instructions each (253 k's are over 1000).
      Re2ProgramSize.Result size = Re2ProgramSize.of(GatewayRouteSpec.authorityPattern(spec.hostname()));
      if (!size.fits(Re2Limit.MAX_PROGRAM_SIZE)) {
        return new Composed(spec, target, "the :authority pattern of the hostname match "
            + (size.error() != null ? "is not valid RE2: " + size.error() : "is too large: "
                + (size.exceeds(Re2Limit.MAX_PROGRAM_SIZE) ? Re2ProgramSize.tooLarge(size) : Re2ProgramSize.mayBeTooLarge(size))
                + " (case-insensitive k and s also match the Kelvin sign and the long s, several instructions each)"),
            true, none);
      }
    }
    List<RoutePlan> routes = VirtualHostPlanner.routes(mesh, vs, port);
    if (routes.isEmpty()) {
      return new Composed(spec, target, provider + " has no HTTP, HTTP/2 or gRPC "
          + (vs.provider() instanceof ResolvedService.RouterProvider ? "route" : "listener") + " on port " + port, false, none);
    }
    return new Composed(spec, target, null, false, Composer.compose(spec, routes));
  }

}
