/**
 * The ADS server: java-control-plane's V3DiscoveryServer over grpc-netty-shaded, with our own
 * {@link io.envoyproxy.controlplane.cache.ConfigWatcher} ({@link io.appmeshxds.server.grpc.XdsCache}):
 * per-resource content-hash versions, NACK suppression, and node identity that survives clients
 * sending their node only on a stream's first message.
 */
package io.appmeshxds.server.grpc;
