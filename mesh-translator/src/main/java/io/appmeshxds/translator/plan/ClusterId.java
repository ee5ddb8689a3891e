package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.PortProtocol;

/** Identity of an Envoy cluster; {@code xds.Names} turns it into App Mesh's cluster name. */
public sealed interface ClusterId extends Comparable<ClusterId>
    permits ClusterId.Backend, ClusterId.Local, ClusterId.AmazonAws, ClusterId.AllowAll, ClusterId.Named {

  /** A target VirtualNode listener, as seen by its clients: {@code cds_egress_<mesh>_<node>_<protocol>_<port>}. */
  record Backend(String mesh, String node, PortProtocol protocol, long port) implements ClusterId {}

  /** The local application behind a VirtualNode listener: {@code cds_ingress_<mesh>_<node>_<protocol>_<port>}. */
  record Local(String mesh, String node, PortProtocol protocol, long port) implements ClusterId {}

  /** Pass-through for {@code *.amazonaws.com}: {@code cds_egress_<mesh>_amazonaws}. */
  record AmazonAws(String mesh) implements ClusterId {}

  /** ALLOW_ALL pass-through: {@code cds_egress_<mesh>_mesh-allow-all}. */
  record AllowAll(String mesh) implements ClusterId {}

  /** A cluster with a fixed name (e.g. a tracing collector or the access-log exporter). */
  record Named(String name) implements ClusterId {}

  @Override
  default int compareTo(ClusterId o) {
    return toString().compareTo(o.toString());
  }
}
