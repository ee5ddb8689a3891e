/**
 * Access-log export as proxies see it (plan and xDS stages): every sidecar and gateway HTTP
 * connection manager gets a gRPC access logger ({@code envoy.access_loggers.http_grpc}), every TCP
 * proxy a {@code tcp_grpc} one, both pointing at a LOGICAL_DNS cluster for the exporter's
 * {@code host:port}. Pure code: no I/O, no clock; the exporter itself lives in the parent package.
 */
package io.appmeshxds.tracing.logs.xds;
