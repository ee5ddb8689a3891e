package io.appmeshxds.server.diff;

import com.google.protobuf.Descriptors.Descriptor;
import io.appmeshxds.server.configdump.EnvoyTypes;

/** The xDS resources a diff compares, in the order Envoy's dump lists them (endpoints are never compared). */
public enum ResourceKind {
  CLUSTER("cluster", "envoy.config.cluster.v3.Cluster"),
  LISTENER("listener", "envoy.config.listener.v3.Listener"),
  ROUTE("route", "envoy.config.route.v3.RouteConfiguration"),
  SECRET("secret", "envoy.extensions.transport_sockets.tls.v3.Secret");

  private final String label;
  private final String typeName;

  ResourceKind(String label, String typeName) {
    this.label = label;
    this.typeName = typeName;
  }

  /** How a difference line names it: {@code cluster}, {@code listener}, {@code route} (a route configuration), {@code secret}. */
  public String label() {
    return label;
  }

  String typeName() {
    return typeName;
  }

  Descriptor descriptor() {
    return EnvoyTypes.find(typeName);
  }
}
