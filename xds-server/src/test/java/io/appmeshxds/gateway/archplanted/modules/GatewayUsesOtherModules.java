package io.appmeshxds.gateway.archplanted.modules;

import io.appmeshxds.bench.archplanted.BenchStandIn;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.tracing.xds.TracingFactory;

/** Planted (never run): a gateway class that depends on each module but mesh-translator. */
public final class GatewayUsesOtherModules {
  TracingFactory tracing;
  Pipelines server;
  BenchStandIn bench;
}
