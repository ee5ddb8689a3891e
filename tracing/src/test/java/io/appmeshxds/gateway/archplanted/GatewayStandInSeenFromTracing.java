package io.appmeshxds.gateway.archplanted;

/** A class in the gateway module's package, in tracing's test sources: what TracingUsesServerAndGateway depends on. */
public final class GatewayStandInSeenFromTracing {}
