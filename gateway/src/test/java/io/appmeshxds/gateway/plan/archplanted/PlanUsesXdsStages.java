package io.appmeshxds.gateway.plan.archplanted;

import io.appmeshxds.gateway.xds.HealthCheckFilterFactory;
import io.appmeshxds.translator.xds.Names;

/** Planted (never run): a planning-stage class that reaches the gateway's and mesh-translator's xDS stages. */
public final class PlanUsesXdsStages {
  HealthCheckFilterFactory factory;
  Names names;
}
