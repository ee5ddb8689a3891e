package io.appmeshxds.gateway.plan.archplanted;

import io.appmeshxds.gateway.GatewayModule;

/** Planted (never run): a planning-stage class that names the wiring package, closing a cycle through it. */
public final class PlanUsesTheWiring {
  GatewayModule module;
}
