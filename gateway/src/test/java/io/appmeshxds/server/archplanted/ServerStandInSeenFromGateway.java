package io.appmeshxds.server.archplanted;

/** A class in xds-server's package, in gateway's test sources: what GatewayUsesServerAndTracing depends on. */
public final class ServerStandInSeenFromGateway {}
