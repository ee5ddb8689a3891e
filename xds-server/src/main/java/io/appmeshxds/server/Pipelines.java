package io.appmeshxds.server;

import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.gateway.GatewayModule;
import java.util.List;

/** The translation pipeline this build ships: sidecars, proxyless clients, gateways (and the modules' parts). */
public final class Pipelines {
  private Pipelines() {}

  public static Pipeline standard() {
    return new Pipeline(new Planner(List.of(GatewayModule.planner()), List.of()), GatewayModule.extensions(),
        GatewayModule.checks());
  }
}
