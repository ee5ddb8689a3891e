package io.appmeshxds.tracing.logs.xds;

import io.appmeshxds.translator.plan.ExtensionPlan;

/**
 * A gRPC access logger on one HTTP connection manager or TCP proxy.
 *
 * @param logName {@code log_name}: the proxy's App Mesh name (the exporter names log streams after it)
 * @param cluster the exporter's cluster
 */
public record AccessLogExportPlan(String logName, String cluster) implements ExtensionPlan {}
