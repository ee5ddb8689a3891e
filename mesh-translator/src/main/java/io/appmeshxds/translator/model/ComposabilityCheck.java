package io.appmeshxds.translator.model;

import io.appmeshxds.translator.input.Problem;
import java.util.List;

/**
 * A check the builder runs on every GatewayRoute that passed all other rules: can the gateway
 * serve it, composed with what its target virtual service routes to? Another module (the gateway
 * module) contributes it, so that a GatewayRoute's condition tells what the gateway proxy will and
 * will not serve, while this module stays free of gateway planning.
 *
 * <p>Errors reject the GatewayRoute (it is then not in the model and no proxy serves it); warnings
 * keep it. Must be pure: equal inputs give equal problems.
 */
public interface ComposabilityCheck {

  /**
   * Problems of {@code route}; each names {@code route.ref()} as its object.
   *
   * @param route the resolved gateway route
   * @param mesh its mesh as resolved so far: every accepted object except gateway routes (they are
   *     resolved last, so the target virtual service, its router and its nodes are final)
   */
  List<Problem> check(ResolvedGatewayRoute route, MeshGraph mesh);
}
