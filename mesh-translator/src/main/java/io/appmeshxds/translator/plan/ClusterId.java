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

  /** Orders by kind, then fields. Why not {@code toString()}: records format it with String.format, far too slow here. */
  @Override
  default int compareTo(ClusterId o) {
    int c = Integer.compare(rank(this), rank(o));
    if (c != 0) {
      return c;
    }
    if (this instanceof Backend a && o instanceof Backend b) {
      return compare(a.mesh(), a.node(), a.protocol().ordinal(), a.port(), b.mesh(), b.node(), b.protocol().ordinal(), b.port());
    }
    if (this instanceof Local a && o instanceof Local b) {
      return compare(a.mesh(), a.node(), a.protocol().ordinal(), a.port(), b.mesh(), b.node(), b.protocol().ordinal(), b.port());
    }
    if (this instanceof AmazonAws a && o instanceof AmazonAws b) {
      return a.mesh().compareTo(b.mesh());
    }
    if (this instanceof AllowAll a && o instanceof AllowAll b) {
      return a.mesh().compareTo(b.mesh());
    }
    return ((Named) this).name().compareTo(((Named) o).name());
  }

  private static int rank(ClusterId id) {
    return id instanceof AllowAll ? 0 : id instanceof AmazonAws ? 1 : id instanceof Backend ? 2 : id instanceof Local ? 3 : 4;
  }

  private static int compare(String m1, String n1, int p1, long port1, String m2, String n2, int p2, long port2) {
    int c = m1.compareTo(m2);
    if (c == 0) {
      c = n1.compareTo(n2);
    }
    if (c == 0) {
      c = Integer.compare(p1, p2);
    }
    return c != 0 ? c : Long.compare(port1, port2);
  }
}
