package io.appmeshxds.tracing.archplanted.modules;

import io.appmeshxds.gateway.archplanted.GatewayStandInSeenFromTracing;
import io.appmeshxds.server.archplanted.ServerStandInSeenFromTracing;

/**
 * Planted (never run): a tracing class that depends on the server and gateway modules, through
 * stand-ins in their packages (this module's class path has neither module).
 */
public final class TracingUsesServerAndGateway {
  ServerStandInSeenFromTracing server;
  GatewayStandInSeenFromTracing gateway;
}
