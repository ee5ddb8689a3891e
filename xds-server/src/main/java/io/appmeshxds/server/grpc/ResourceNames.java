package io.appmeshxds.server.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;

/** The name of a packed xDS resource. */
final class ResourceNames {
  private ResourceNames() {}

  static String of(Any a) {
    try {
      if (a.is(Listener.class)) {
        return a.unpack(Listener.class).getName();
      }
      if (a.is(RouteConfiguration.class)) {
        return a.unpack(RouteConfiguration.class).getName();
      }
      if (a.is(Cluster.class)) {
        return a.unpack(Cluster.class).getName();
      }
      if (a.is(ClusterLoadAssignment.class)) {
        return a.unpack(ClusterLoadAssignment.class).getClusterName();
      }
      if (a.is(Secret.class)) {
        return a.unpack(Secret.class).getName();
      }
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
    return "";
  }
}
