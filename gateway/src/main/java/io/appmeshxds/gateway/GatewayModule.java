package io.appmeshxds.gateway;

import io.appmeshxds.gateway.plan.GatewayComposabilityCheck;
import io.appmeshxds.gateway.plan.GatewayPlanner;
import io.appmeshxds.gateway.xds.HealthCheckFilterFactory;
import io.appmeshxds.translator.model.ComposabilityCheck;
import io.appmeshxds.translator.plan.EndpointOptions;
import io.appmeshxds.translator.plan.ProxyPlanner;
import io.appmeshxds.translator.xds.ExtensionFactory;
import java.util.List;

/**
 * What this module plugs into mesh-translator's pipeline; wire all three:
 *
 * <pre>{@code
 * new MeshModelBuilder(cache, List.of(), GatewayModule.checks());
 * new Planner(endpointOptions, List.of(GatewayModule.planner(endpointOptions)), decorators);
 * new XdsTranslator(GatewayModule.extensions());   // and XdsJson
 * }</pre>
 *
 * Without the checks, a GatewayRoute that nothing of composes is reported Active but served by no
 * route (the planner notes it); without the extensions, a gateway listener with an answered health
 * check cannot be translated.
 */
public final class GatewayModule {
  private GatewayModule() {}

  /** The gateway planner, endpoints as App Mesh served them. */
  public static ProxyPlanner planner() {
    return new GatewayPlanner();
  }

  /** The gateway planner with the endpoint options the sidecars' planner has. */
  public static ProxyPlanner planner(EndpointOptions endpoints) {
    return new GatewayPlanner(endpoints);
  }

  public static List<ComposabilityCheck> checks() {
    return List.of(new GatewayComposabilityCheck());
  }

  public static List<ExtensionFactory> extensions() {
    return List.of(new HealthCheckFilterFactory());
  }
}
