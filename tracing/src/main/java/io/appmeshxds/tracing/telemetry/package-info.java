/**
 * The control plane's own spans (one trace per reconcile), exported over OTLP/gRPC with the
 * OpenTelemetry SDK when {@code telemetry.otlpEndpoint} is set; a no-op otherwise. The reconciler
 * calls {@link io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry}; nothing else in the server
 * sees OpenTelemetry.
 */
package io.appmeshxds.tracing.telemetry;
