package io.appmeshxds.server.grpc;

import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers the {@link Node} of a stream's first request and puts it on later requests that omit
 * it. Why: grpc-js (and Envoy with {@code set_node_on_first_message_only}) send the node once,
 * while java-control-plane hands every request to the cache on its own, so a node-keyed cache would
 * not recognize the stream's later requests.
 *
 * <p>It also hands on a request's type URL as our own constant when it names a type we serve. Why:
 * java-control-plane keys four maps of every stream by the first request's type URL string, a
 * client's copy per stream and type (400 bytes of every held stream); ours is one string for all.
 */
public final class StickyNodeInterceptor implements ServerInterceptor {
  private static final Map<String, String> TYPE_URLS = new HashMap<>();

  static {
    for (XdsResources.Type t : XdsResources.Type.values()) {
      TYPE_URLS.put(t.typeUrl(), t.typeUrl());
    }
  }

  /** Our own instance of a type URL we serve; any other is returned as it is. */
  static String canonical(String typeUrl) {
    return TYPE_URLS.getOrDefault(typeUrl, typeUrl);
  }

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
          }
          String type = canonical(r.getTypeUrl());
          boolean addNode = !r.hasNode() && node != null;
          if (addNode || type != r.getTypeUrl()) {
            DiscoveryRequest.Builder b = r.toBuilder().setTypeUrl(type);
            message = (Q) (addNode ? b.setNode(node) : b).build();
          }
        } else if (message instanceof DeltaDiscoveryRequest r) {
          if (r.hasNode()) {
            node = r.getNode();
          }
          String type = canonical(r.getTypeUrl());
          boolean addNode = !r.hasNode() && node != null;
          if (addNode || type != r.getTypeUrl()) {
            DeltaDiscoveryRequest.Builder b = r.toBuilder().setTypeUrl(type);
            message = (Q) (addNode ? b.setNode(node) : b).build();
          }
        }
        super.onMessage(message);
      }
    };
  }
}
