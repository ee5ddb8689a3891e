package io.appmeshxds.gateway.archplanted.modules;

import io.appmeshxds.server.archplanted.ServerStandInSeenFromGateway;
import io.appmeshxds.tracing.archplanted.TracingStandInSeenFromGateway;

/**
 * Planted (never run): a gateway class that depends on the server and tracing modules, through
 * stand-ins in their packages (this module's class path has neither module).
 */
public final class GatewayUsesServerAndTracing {
  ServerStandInSeenFromGateway server;
  TracingStandInSeenFromGateway tracing;
}
