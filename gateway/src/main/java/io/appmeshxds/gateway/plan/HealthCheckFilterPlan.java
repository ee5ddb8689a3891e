package io.appmeshxds.gateway.plan;

import io.appmeshxds.translator.plan.ExtensionPlan;

/**
 * Envoy's HTTP health check filter on a gateway listener: a request whose {@code :path} is exactly
 * {@code path} is answered by the gateway itself (200, or 503 while Envoy is draining or marked
 * failed), never routed. Planned only when no gateway route on the listener could match that path.
 *
 * @param path the VirtualGateway listener's {@code healthCheck.path}
 */
public record HealthCheckFilterPlan(String path) implements ExtensionPlan {}
