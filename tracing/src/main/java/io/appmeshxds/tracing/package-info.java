/**
 * Observability that App Mesh could only configure at pod start: tracing (X-Ray, OpenTelemetry,
 * Zipkin) pushed over xDS into every HTTP connection manager, access-log export to CloudWatch Logs
 * ({@code logs}), and the control plane's own spans. Depends on mesh-translator only.
 */
package io.appmeshxds.tracing;
