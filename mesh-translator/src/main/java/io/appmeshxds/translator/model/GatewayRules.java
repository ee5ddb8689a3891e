package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.VirtualGateway;
import java.util.HashMap;
import java.util.Map;

/** Object-local rules of VirtualGateways and GatewayRoutes. */
final class GatewayRules {
  private GatewayRules() {}

  static void check(VirtualGateway vg, Findings f) {
    VirtualGateway.Spec s = vg.spec();
    CommonRules.awsName(s.awsName(), f);
    if (s.listeners().isEmpty()) {
      f.error("spec.listeners", "a virtual gateway needs at least one listener");
    }
    Map<Long, Integer> ports = new HashMap<>();
    for (int i = 0; i < s.listeners().size(); i++) {
      VirtualGateway.Listener l = s.listeners().get(i);
      String at = "spec.listeners[" + i + "]";
      if (l.portMapping() != null && l.portMapping().port() != null) {
        Integer first = ports.putIfAbsent(l.portMapping().port(), i);
        if (first != null) {
          f.error(at + ".portMapping.port", "port " + l.portMapping().port() + " is already used by listeners[" + first + "]");
        }
      }
      VirtualGateway.ConnectionPool pool = l.connectionPool();
      if (pool != null) {
        String set = NodeRules.onlyOne(at + ".connectionPool", f, "Only one type of Virtual Gateway Connection Pool is allowed",
            "http", pool.http(), "http2", pool.http2(), "grpc", pool.grpc());
        if (set != null && l.portMapping() != null && l.portMapping().protocol() != null
            && !set.equals(l.portMapping().protocol().name())) {
          f.error(at + ".connectionPool." + set, "connection pool type must match the listener protocol "
              + l.portMapping().protocol());
        }
      }
      if (l.healthCheck() != null && l.healthCheck().healthyThreshold() == null) {
        f.error(at + ".healthCheck.healthyThreshold", "required");
      }
      if (l.tls() != null) {
        CommonRules.listenerCertificate(at + ".tls.certificate", l.tls().certificate(), f);
        if (l.tls().validation() != null) {
          CommonRules.trust(at + ".tls.validation.trust", l.tls().validation().trust(), false, f);
          CommonRules.sans(at + ".tls.validation.subjectAlternativeNames", l.tls().validation().subjectAlternativeNames(), f);
        }
      }
    }
    if (s.backendDefaults() != null) {
      CommonRules.clientPolicy("spec.backendDefaults.clientPolicy", s.backendDefaults().clientPolicy(), f);
    }
    CommonRules.logging("spec.logging", s.logging(), f);
  }

  static void check(GatewayRoute gr, Findings f) {
    GatewayRoute.Spec s = gr.spec();
    CommonRules.awsName(s.awsName(), f);
    int types = (s.grpcRoute() != null ? 1 : 0) + (s.httpRoute() != null ? 1 : 0) + (s.http2Route() != null ? 1 : 0);
    if (types == 0) {
      f.error("spec", "Missing GatewayRoute Type: exactly one of grpcRoute, httpRoute, http2Route must be set");
      return;
    }
    if (types > 1) {
      f.error("spec", "Found multiple types: exactly one of grpcRoute, httpRoute, http2Route must be set");
      return;
    }
    if (s.grpcRoute() != null) {
      grpc("spec.grpcRoute", s.grpcRoute(), f);
    } else {
      http(s.httpRoute() != null ? "spec.httpRoute" : "spec.http2Route", s.httpRoute() != null ? s.httpRoute() : s.http2Route(), f);
    }
  }

  private static void http(String at, GatewayRoute.HttpGatewayRoute r, Findings f) {
    GatewayRoute.HttpMatch m = r.match();
    if (m != null) {
      String mf = at + ".match";
      if (m.prefix() == null && m.path() == null && m.hostname() == null) {
        f.error(mf, "at least one of prefix, path, hostname must be specified");
      }
      if (m.prefix() != null && m.path() != null) {
        f.error(mf, "Both Prefix and Path cannot be specified, only 1 allowed");
      }
      if (m.prefix() != null) {
        CommonRules.prefix(mf + ".prefix", m.prefix(), f);
        String p = m.prefix();
        if (p.startsWith("/aws-appmesh") || p.startsWith("/aws-app-mesh")) {
          f.error(mf + ".prefix", "prefixes /aws-appmesh* and /aws-app-mesh* are reserved");
        }
      }
      CommonRules.path(mf + ".path", m.path(), f);
      hostname(mf + ".hostname", m.hostname(), f);
      CommonRules.headers(mf + ".headers", m.headers(), f);
      CommonRules.queryParameters(mf + ".queryParameters", m.queryParameters(), f);
    }
    if (r.action() != null) {
      target(at + ".action.target", r.action().target(), f);
      GatewayRoute.HttpRewrite rw = r.action().rewrite();
      if (rw != null) {
        String rf = at + ".action.rewrite";
        if (rw.prefix() == null && rw.path() == null && rw.hostname() == null) {
          f.error(rf, "at least one of prefix, path, hostname must be specified");
        }
        if (rw.prefix() != null && rw.path() != null) {
          f.error(rf, "Both Prefix and Path rewrites cannot be specified, only 1 allowed");
        }
        if (rw.prefix() != null) {
          GatewayRoute.PrefixRewrite pr = rw.prefix();
          if (pr.defaultPrefix() != null && pr.value() != null) {
            f.error(rf + ".prefix", "defaultPrefix and value are mutually exclusive");
          } else if (pr.defaultPrefix() == null && pr.value() == null) {
            f.error(rf + ".prefix", "exactly one of defaultPrefix, value must be set (found none)");
          }
          if (pr.value() != null && !(pr.value().startsWith("/") && pr.value().endsWith("/"))) {
            f.error(rf + ".prefix.value", "New Rewrite Prefix must start and end with '/'");
          }
          if (m != null && (m.prefix() == null || !m.prefix().startsWith("/"))) {
            f.error(at + ".match.prefix", "Prefix to be matched on must start with '/' (required by a prefix rewrite)");
          }
        }
        if (rw.path() != null) {
          if (rw.path().exact() == null) {
            f.error(rf + ".path.exact", "required");
          } else if (!rw.path().exact().startsWith("/")) {
            f.error(rf + ".path.exact", "must start with '/'");
          }
        }
      }
    }
  }

  private static void grpc(String at, GatewayRoute.GrpcGatewayRoute r, Findings f) {
    GatewayRoute.GrpcMatch m = r.match();
    if (m != null) {
      String mf = at + ".match";
      if (m.serviceName() == null && m.hostname() == null) {
        f.error(mf, "at least one of serviceName, hostname must be specified");
      }
      if (m.serviceName() != null && (m.serviceName().startsWith("aws.app-mesh") || m.serviceName().equals("aws.appmesh")
          || m.serviceName().startsWith("aws.appmesh."))) {
        f.error(mf + ".serviceName", "service names aws.app-mesh* and aws.appmesh are reserved");
      }
      hostname(mf + ".hostname", m.hostname(), f);
      CommonRules.headers(mf + ".metadata", m.metadata(), f);
    }
    if (r.action() != null) {
      target(at + ".action.target", r.action().target(), f);
      if (r.action().rewrite() != null && r.action().rewrite().hostname() == null) {
        f.error(at + ".action.rewrite.hostname", "required when rewrite is set");
      }
    }
  }

  private static void hostname(String field, GatewayRoute.HostnameMatch h, Findings f) {
    if (h != null) {
      f.exactlyOne(field, true, "exact", h.exact(), "suffix", h.suffix());
    }
  }

  private static void target(String field, GatewayRoute.Target t, Findings f) {
    if (t == null || t.virtualService() == null) {
      return;
    }
    GatewayRoute.TargetVirtualService vs = t.virtualService();
    if (f.exactlyOne(field + ".virtualService", true, "virtualServiceRef", vs.virtualServiceRef(),
        "virtualServiceARN", vs.virtualServiceARN()) && vs.virtualServiceARN() != null) {
      Arns.parse(vs.virtualServiceARN(), "virtualService", field + ".virtualService.virtualServiceARN", f);
    }
  }
}
