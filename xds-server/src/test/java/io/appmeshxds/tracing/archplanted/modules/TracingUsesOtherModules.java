package io.appmeshxds.tracing.archplanted.modules;

import io.appmeshxds.bench.archplanted.BenchStandIn;
import io.appmeshxds.gateway.GatewayModule;
import io.appmeshxds.server.Pipelines;

/** Planted (never run): a tracing class that depends on each module but mesh-translator. */
public final class TracingUsesOtherModules {
  GatewayModule gateway;
  Pipelines server;
  BenchStandIn bench;
}
