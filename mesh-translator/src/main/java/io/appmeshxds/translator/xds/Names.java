package io.appmeshxds.translator.xds;

import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.Direction;
import io.appmeshxds.translator.plan.ListenerPlan;
import io.appmeshxds.translator.plan.RouteConfigId;
import io.appmeshxds.translator.plan.SecretPlan;

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

  /**
   * The name of an ACM secret we serve over ADS: an ACM certificate's is its ARN; a trust from ACM
   * Private CA is its CA ARNs as written, joined by commas; the trust in the root of an ACM
   * certificate's chain is {@code root-ca:<certificate ARN>}. Why ARNs: they are stable across
   * renewals and CA rotations, so a new certificate changes the secret's content and nothing that
   * refers to it, and an operator reading a config dump sees which certificate a listener serves.
   */
  public static String secret(SecretPlan.Ref ref) {
    if (ref instanceof SecretPlan.Ref.CertificateRef c) {
      return c.arn();
    }
    if (ref instanceof SecretPlan.Ref.AuthoritiesRef a) {
      return String.join(",", a.arns());
    }
    return "root-ca:" + ((SecretPlan.Ref.RootRef) ref).certificateArn();
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
