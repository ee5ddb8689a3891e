/**
 * {@code appmesh-xds demo}: the example mesh end to end on one machine, with real gRPC backends
 * and a real proxyless gRPC client (grpc-java's xDS support) instead of Envoy and Kubernetes.
 */
package io.appmeshxds.server.demo;
