package io.appmeshxds.tracing.archplanted;

/** A class in the tracing module's package, in gateway's test sources: what GatewayUsesServerAndTracing depends on. */
public final class TracingStandInSeenFromGateway {}
