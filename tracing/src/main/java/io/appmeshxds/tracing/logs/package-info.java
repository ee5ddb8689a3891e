/**
 * The CloudWatch Logs access-log exporter: a gRPC Access Log Service receiver
 * ({@link io.appmeshxds.tracing.logs.AlsReceiver}) turns Envoy's entries into JSON events, a
 * bounded in-memory queue that spills to a disk buffer ({@link io.appmeshxds.tracing.logs.SpillQueue},
 * {@link io.appmeshxds.tracing.logs.DiskBuffer}) holds them, and one sender
 * ({@link io.appmeshxds.tracing.logs.CloudWatchSender}) ships PutLogEvents batches within the API's
 * limits. {@link io.appmeshxds.tracing.logs.LogExporter} ties them together; `export-logs` and
 * `serve` run the same code. Runtime code (threads, files, network): it must not be used by the
 * translation stages; the proxies' side of the feature is in {@code .xds}.
 */
package io.appmeshxds.tracing.logs;
