package io.appmeshxds.server.e2e;

/**
 * {@code @grpc/grpc-js-xds} 1.14.1 on {@code @grpc/grpc-js} 1.14 (Node.js), installed by .ci/run
 * with {@code npm ci} in {@code src/test/peers/node}; its client is {@code client.js} there.
 */
class GrpcJsXdsTest extends ExternalPeerRoutingTest {
  @Override
  ExternalPeer peer() {
    return new ExternalPeer.GrpcJs();
  }
}
