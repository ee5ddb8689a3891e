package io.appmeshxds.gateway.plan;

import io.appmeshxds.translator.model.ComposabilityCheck;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.ResolvedGatewayRoute;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Reports, per GatewayRoute, what of it the gateway serves: a False condition with reason
 * {@code NotComposable} when nothing composes with its target's routes (naming each target route
 * and why), a warning per target route that is dropped while others compose.
 */
public final class GatewayComposabilityCheck implements ComposabilityCheck {

  @Override
  public List<Problem> check(ResolvedGatewayRoute route, MeshGraph mesh) {
    Composed c = Composed.of(mesh, route);
    String field = c.spec().field() + ".action.target";
    List<Problem> out = new ArrayList<>();
    if (c.problem() != null) {
      out.add(Problem.error(c.unsupported() ? Reason.Unsupported : Reason.NotComposable, route.ref(),
          c.unsupported() ? c.spec().field() + ".match.hostname" : field,
          "gateway route " + route.awsName() + " cannot be served with " + c.target() + ": " + c.problem()));
    } else if (c.empty()) {
      out.add(Problem.error(Reason.NotComposable, route.ref(), field, "nothing of gateway route " + route.awsName()
          + " composes with the routes of " + c.target() + ": " + String.join("; ", c.composition().dropped())));
    } else {
      for (String d : c.composition().dropped()) {
        out.add(Problem.warning(route.ref(), field, "not served through this gateway route: " + c.target() + " " + d));
      }
    }
    return out;
  }
}
