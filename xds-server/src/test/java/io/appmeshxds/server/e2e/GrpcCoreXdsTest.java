package io.appmeshxds.server.e2e;

/**
 * gRPC C-core 1.51 (core 29.0.0) through Debian's {@code python3-grpcio}, run with the system
 * {@code /usr/bin/python3}; its client is {@code src/test/peers/python/client.py}. An older client
 * than we ship against: it only understands the deprecated header matcher fields.
 */
class GrpcCoreXdsTest extends ExternalPeerRoutingTest {
  @Override
  ExternalPeer peer() {
    return new ExternalPeer.GrpcCore();
  }
}
