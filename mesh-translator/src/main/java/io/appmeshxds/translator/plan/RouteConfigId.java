package io.appmeshxds.translator.plan;

/**
 * Identity of a RouteConfiguration: {@code rds_ingress_http_<port>} or {@code rds_egress_http_<port>}.
 *
 * @param direction ingress (a node's listener or a gateway listener) or egress (backends on a port)
 * @param port the port
 */
public record RouteConfigId(Direction direction, long port) implements Comparable<RouteConfigId> {

  @Override
  public int compareTo(RouteConfigId o) {
    int c = direction.compareTo(o.direction);
    return c != 0 ? c : Long.compare(port, o.port);
  }
}
