package io.appmeshxds.server.grpc;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Remembers the {@link Node} of a stream's first request and puts it on later requests that omit
 * it. Why: grpc-js (and Envoy with {@code set_node_on_first_message_only}) send the node once,
 * while java-control-plane hands every request to the cache on its own, so a node-keyed cache would
 * not recognize the stream's later requests.
 */
public final class StickyNodeInterceptor implements ServerInterceptor {

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> delegate = next.startCall(call, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
      private Node node;

      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        if (message instanceof DiscoveryRequest r) {
          if (r.hasNode()) {
            node = r.getNode();
          } else if (node != null) {
            message = (Q) r.toBuilder().setNode(node).build();
          }
        } else if (message instanceof DeltaDiscoveryRequest r) {
          if (r.hasNode()) {
            node = r.getNode();
          } else if (node != null) {
            message = (Q) r.toBuilder().setNode(node).build();
          }
        }
        super.onMessage(message);
      }
    };
  }
}
