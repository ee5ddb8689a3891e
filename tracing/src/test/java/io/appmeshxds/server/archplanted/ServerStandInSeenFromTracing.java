package io.appmeshxds.server.archplanted;

/** A class in xds-server's package, in tracing's test sources: what TracingUsesServerAndGateway depends on. */
public final class ServerStandInSeenFromTracing {}
