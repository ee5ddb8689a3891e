package io.appmeshxds.translator.xds;

import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.Direction;
import io.appmeshxds.translator.plan.ListenerPlan;
import io.appmeshxds.translator.plan.RouteConfigId;

/**
 * The one place that mints Envoy resource names. They follow App Mesh's conventions, which
 * dashboards, alerts and Flagger's queries depend on.
 */
public final class Names {
  private Names() {}

  /** {@code lds_ingress_0.0.0.0_15000}, {@code lds_egress_0.0.0.0_15001}, {@code <service>:<port>}. */
  public static String listener(ListenerPlan l) {
    if (l instanceof ListenerPlan.Socket s) {
      return "lds_" + direction(s.direction()) + "_0.0.0.0_" + s.port();
    }
    ListenerPlan.Api a = (ListenerPlan.Api) l;
    return a.port() == null ? a.service() : a.service() + ":" + a.port();
  }

  /** {@code rds_ingress_http_<port>} or {@code rds_egress_http_<port>}. */
  public static String routeConfig(RouteConfigId id) {
    return "rds_" + direction(id.direction()) + "_http_" + id.port();
  }

  /** App Mesh cluster names. */
  public static String cluster(ClusterId id) {
    if (id instanceof ClusterId.Backend b) {
      return "cds_egress_" + b.mesh() + "_" + b.node() + "_" + b.protocol() + "_" + b.port();
    }
    if (id instanceof ClusterId.Local l) {
      return "cds_ingress_" + l.mesh() + "_" + l.node() + "_" + l.protocol() + "_" + l.port();
    }
    if (id instanceof ClusterId.AmazonAws a) {
      return "cds_egress_" + a.mesh() + "_amazonaws";
    }
    if (id instanceof ClusterId.AllowAll a) {
      return "cds_egress_" + a.mesh() + "_mesh-allow-all";
    }
    return ((ClusterId.Named) id).name();
  }

  private static String direction(Direction d) {
    return d == Direction.INGRESS ? "ingress" : "egress";
  }
}
