package io.appmeshxds.translator.archplanted.modules;

import io.appmeshxds.bench.archplanted.BenchStandIn;
import io.appmeshxds.gateway.GatewayModule;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.tracing.xds.TracingFactory;

/** Planted (never run): a mesh-translator class that depends on each module mesh-translator may not. */
public final class TranslatorUsesOtherModules {
  GatewayModule gateway;
  TracingFactory tracing;
  Pipelines server;
  BenchStandIn bench;
}
