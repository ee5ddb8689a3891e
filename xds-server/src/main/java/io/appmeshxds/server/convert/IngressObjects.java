package io.appmeshxds.server.convert;

import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.ResolvedGateway;
import io.appmeshxds.translator.model.ResolvedGatewayRoute;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.model.ResolvedRouter;
import io.appmeshxds.translator.model.ResolvedService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * North-south: a VirtualGateway becomes a Gateway (one listener per port) and each of its
 * GatewayRoutes an HTTPRoute or GRPCRoute attached to that Gateway, sending to the target
 * VirtualService's Service.
 */
final class IngressObjects {
  private IngressObjects() {}

  static String listenerName(VirtualGateway.PortMapping pm) {
    return pm.protocol().name() + "-" + pm.port();
  }

  static void gateways(GatewayApiConverter c, MeshGraph g) {
    for (ResolvedGateway gw : g.gateways().values()) {
      gateway(c, g, gw);
    }
  }

  private static void gateway(GatewayApiConverter c, MeshGraph g, ResolvedGateway gw) {
    String obj = GatewayApiConverter.label(gw.ref());
    VirtualGateway.Spec s = gw.gateway().spec();
    String ns = gw.ref().namespace();
    Map<String, Object> doc = GatewayApiConverter.object(GatewayApiConverter.V1, "Gateway", ns, gw.ref().name(), obj);
    boolean crossNamespace = gw.routes().stream().map(r -> g.gatewayRoutes().get(r))
        .anyMatch(r -> r != null && !ns.equals(r.ref().namespace()));
    List<Map<String, Object>> listeners = new ArrayList<>();
    for (int i = 0; i < s.listeners().size(); i++) {
      VirtualGateway.Listener l = s.listeners().get(i);
      String f = "spec.listeners[" + i + "]";
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("name", listenerName(l.portMapping()));
      out.put("port", l.portMapping().port());
      Map<String, Object> tls = l.tls() == null || l.tls().mode() == Tls.Mode.DISABLED ? null : tls(c, gw, l.tls(), f + ".tls");
      out.put("protocol", tls == null ? "HTTP" : "HTTPS");
      if (tls != null) {
        out.put("tls", tls);
      }
      if (crossNamespace) {
        out.put("allowedRoutes", GatewayApiConverter.map("namespaces", GatewayApiConverter.map("from", "All")));
      }
      if (tls == null && l.portMapping().protocol() != VirtualGateway.Protocol.http) {
        c.report.approximated(obj, f + ".portMapping.protocol", l.portMapping().protocol() + " on a listener with protocol "
            + "HTTP: cleartext HTTP/2 (h2c) there is implementation-specific");
      } else {
        c.report.exact(obj, f + ".portMapping", "listener " + out.get("name") + ": port " + l.portMapping().port() + ", "
            + out.get("protocol"));
      }
      if (l.healthCheck() != null) {
        c.report.dropped(obj, f + ".healthCheck", "no core Gateway API field (the gateway's own health is the implementation's)");
      }
      if (l.connectionPool() != null) {
        c.report.dropped(obj, f + ".connectionPool", "no core Gateway API field (connection pools are implementation policy)");
      }
      listeners.add(out);
    }
    if (s.logging() != null) {
      c.report.dropped(obj, "spec.logging", "no core Gateway API field (access logs are implementation config)");
    }
    if (s.podSelector() != null) {
      c.report.approximated(obj, "spec.podSelector", "the implementation runs the Gateway's own proxies for class "
          + c.gatewayClass + "; the selected pods are no longer used");
    }
    if (s.gatewayRouteSelector() != null || s.namespaceSelector() != null) {
      c.report.exact(obj, s.gatewayRouteSelector() != null ? "spec.gatewayRouteSelector" : "spec.namespaceSelector",
          "the GatewayRoutes they selected are converted with a parentRef to this Gateway");
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("gatewayClassName", c.gatewayClass);
    spec.put("listeners", listeners);
    doc.put("spec", spec);
    c.emit(doc, obj);
    for (String name : gw.routes()) {
      ResolvedGatewayRoute r = g.gatewayRoutes().get(name);
      if (r != null) {
        route(c, g, gw, r);
      }
    }
  }

  private static Map<String, Object> tls(GatewayApiConverter c, ResolvedGateway gw, VirtualGateway.ListenerTls t, String f) {
    String obj = GatewayApiConverter.label(gw.ref());
    Tls.ListenerCertificate cert = t.certificate();
    String secret;
    if (cert.sds() != null) {
      secret = cert.sds().secretName();
      c.report.approximated(obj, f + ".certificate.sds", "tls.certificateRefs: Secret " + secret + " (App Mesh's SDS secret "
          + "name; the Gateway reads a Kubernetes Secret of type kubernetes.io/tls of that name in its namespace)");
    } else if (cert.file() != null) {
      secret = gw.ref().name() + "-tls";
      c.report.approximated(obj, f + ".certificate.file", "tls.certificateRefs: Secret " + secret + ": create it (type "
          + "kubernetes.io/tls) from " + cert.file().certificateChain() + " and " + cert.file().privateKey()
          + "; the Gateway reads Secrets, not files");
    } else {
      secret = gw.ref().name() + "-tls";
      c.report.dropped(obj, f + ".certificate.acm", "Gateway API references certificates as Secrets; ACM certificate "
          + (cert.acm() == null ? "" : cert.acm().certificateARN()) + " cannot be referenced: export it to Secret " + secret);
    }
    if (t.mode() == Tls.Mode.PERMISSIVE) {
      c.report.approximated(obj, f + ".mode", "PERMISSIVE accepted TLS and plaintext on one port; the HTTPS listener "
          + "accepts TLS only");
    }
    if (t.validation() != null) {
      c.report.dropped(obj, f + ".validation", "client certificate validation on a Gateway listener is not in Gateway API's "
          + "standard channel (frontend TLS validation is experimental)");
    }
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("group", "");
    ref.put("kind", "Secret");
    ref.put("name", secret);
    Map<String, Object> tls = new LinkedHashMap<>();
    tls.put("mode", "Terminate");
    tls.put("certificateRefs", List.of(ref));
    return tls;
  }

  private static void route(GatewayApiConverter c, MeshGraph g, ResolvedGateway gw, ResolvedGatewayRoute r) {
    String obj = GatewayApiConverter.label(r.ref());
    GatewayRoute.Spec s = r.route().spec();
    boolean grpc = s.grpcRoute() != null;
    String kind = grpc ? "GRPCRoute" : "HTTPRoute";
    String ns = r.ref().namespace();
    String base = grpc ? "spec.grpcRoute" : s.httpRoute() != null ? "spec.httpRoute" : "spec.http2Route";
    // Why the gateway's name first: a GatewayRoute is often named like its target VirtualService,
    // whose mesh route (GAMMA) has the VirtualService's name in the same namespace.
    Map<String, Object> doc = GatewayApiConverter.object(GatewayApiConverter.V1, kind, ns, gw.ref().name() + "-" + r.ref().name(), obj);
    Map<String, Object> parent = new LinkedHashMap<>();
    parent.put("group", GatewayApiConverter.GROUP);
    parent.put("kind", "Gateway");
    parent.put("name", gw.ref().name());
    if (!gw.ref().namespace().equals(ns)) {
      parent.put("namespace", gw.ref().namespace());
    }
    Long port = grpc ? s.grpcRoute().match().port() : (s.httpRoute() != null ? s.httpRoute() : s.http2Route()).match().port();
    if (port != null) {
      gw.gateway().spec().listeners().stream().filter(l -> l.portMapping().port().equals(port)).findFirst()
          .ifPresent(l -> parent.put("sectionName", listenerName(l.portMapping())));
      c.report.exact(obj, base + ".match.port", "parentRefs[0].sectionName: the listener on port " + port);
    }
    GatewayRoute.HostnameMatch host = grpc ? s.grpcRoute().match().hostname()
        : (s.httpRoute() != null ? s.httpRoute() : s.http2Route()).match().hostname();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("parentRefs", List.of(parent));
    if (host != null) {
      spec.put("hostnames", List.of(hostname(c, obj, base + ".match.hostname", host)));
    }
    if (s.priority() != null) {
      c.report.approximated(obj, "spec.priority", "Gateway API orders routes of a Gateway by match specificity (hostname, "
          + "path, method, headers, query), then age, not by priority");
    }
    ResolvedService target = g.services().get(r.targetService());
    Map<String, Object> rule = new LinkedHashMap<>();
    Matches.At at = new Matches.At(c.report, obj, base + ".match");
    if (grpc) {
      GatewayRoute.GrpcMatch m = s.grpcRoute().match();
      Map<String, Object> match = new LinkedHashMap<>();
      if (m.serviceName() != null) {
        match.put("method", GatewayApiConverter.map("type", "Exact", "service", m.serviceName()));
        c.report.exact(obj, base + ".match.serviceName", "method: {type: Exact, service}");
      }
      List<Map<String, Object>> headers = Matches.headers(m.metadata(), at, "metadata");
      if (!headers.isEmpty()) {
        match.put("headers", headers);
      }
      if (!match.isEmpty()) {
        rule.put("matches", List.of(match));
      }
      GatewayRoute.GrpcRewrite rw = s.grpcRoute().action().rewrite();
      if (rw == null || rw.hostname() == null || rw.hostname().defaultTargetHostname() != GatewayRoute.Toggle.DISABLED) {
        c.report.dropped(obj, base + ".action.rewrite.hostname", "App Mesh rewrote :authority to " + r.targetService()
            + " (defaultTargetHostname ENABLED, the default); GRPCRoute has no URLRewrite filter in Gateway API v1");
      }
      rule.put("backendRefs", backend(c, g, target, s.grpcRoute().action().target().port(), ns, kind, obj,
          base + ".action.target"));
    } else {
      GatewayRoute.HttpGatewayRoute h = s.httpRoute() != null ? s.httpRoute() : s.http2Route();
      GatewayRoute.HttpMatch m = h.match();
      Map<String, Object> match = Matches.httpMatch(m.prefix(), m.path(), m.headers(), m.queryParameters(), m.method(), at);
      rule.put("matches", List.of(match));
      Map<String, Object> rewrite = rewrite(c, obj, base, m, h.action().rewrite(), r.targetService());
      if (rewrite != null) {
        rule.put("filters", List.of(GatewayApiConverter.map("type", "URLRewrite", "urlRewrite", rewrite)));
      }
      rule.put("backendRefs", backend(c, g, target, h.action().target().port(), ns, kind, obj, base + ".action.target"));
    }
    spec.put("rules", List.of(rule));
    doc.put("spec", spec);
    c.emit(doc, obj);
  }

  private static String hostname(GatewayApiConverter c, String obj, String f, GatewayRoute.HostnameMatch h) {
    if (h.exact() != null) {
      c.report.exact(obj, f + ".exact", "hostnames: [" + h.exact() + "]");
      return h.exact();
    }
    String suffix = h.suffix().startsWith(".") ? h.suffix().substring(1) : h.suffix();
    c.report.approximated(obj, f + ".suffix", "hostnames: [*." + suffix + "]: a wildcard matches whole labels, so "
        + suffix + " itself and names like x" + suffix + " no longer match");
    return "*." + suffix;
  }

  /**
   * App Mesh's gateway rewrites as one URLRewrite filter: the matched prefix replaced by {@code /}
   * (App Mesh's default) or by {@code rewrite.prefix.value}, a whole-path rewrite, and the Host
   * rewritten to the target's name (default), unless disabled.
   */
  private static Map<String, Object> rewrite(GatewayApiConverter c, String obj, String base, GatewayRoute.HttpMatch m,
      GatewayRoute.HttpRewrite rw, String targetService) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (rw == null || rw.hostname() == null || rw.hostname().defaultTargetHostname() != GatewayRoute.Toggle.DISABLED) {
      out.put("hostname", targetService);
      c.report.exact(obj, base + ".action.rewrite.hostname", "urlRewrite.hostname: " + targetService
          + " (App Mesh's default target hostname rewrite)");
    }
    if (rw != null && rw.path() != null && rw.path().exact() != null) {
      out.put("path", GatewayApiConverter.map("type", "ReplaceFullPath", "replaceFullPath", rw.path().exact()));
      c.report.exact(obj, base + ".action.rewrite.path.exact", "urlRewrite.path: ReplaceFullPath");
    } else if (m.path() == null && m.prefix() != null && !m.prefix().equals("/")) {
      GatewayRoute.PrefixRewrite pr = rw == null ? null : rw.prefix();
      boolean keep = pr != null && pr.value() == null && pr.defaultPrefix() == GatewayRoute.Toggle.DISABLED;
      if (!keep) {
        String to = pr != null && pr.value() != null ? pr.value() : "/";
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "ReplacePrefixMatch");
        p.put("replacePrefixMatch", to);
        out.put("path", p);
        c.report.exact(obj, base + ".action.rewrite.prefix", "urlRewrite.path: ReplacePrefixMatch " + to
            + (pr == null || pr.value() == null ? " (App Mesh's default prefix rewrite)" : ""));
      }
    }
    return out.isEmpty() ? null : out;
  }

  /** The target VirtualService's Service, on the target port or its provider's only port. */
  private static List<Map<String, Object>> backend(GatewayApiConverter c, MeshGraph g, ResolvedService target, Long port,
      String ns, String kind, String obj, String f) {
    if (target == null) {
      return List.of();
    }
    long p = port != null ? port : providerPort(g, target);
    String[] svc = c.serviceOfVirtualService(target, "spec.awsName");
    Map<String, Object> ref = c.serviceBackend(svc, p, null, ns, kind, obj, f);
    return List.of(ref);
  }

  private static long providerPort(MeshGraph g, ResolvedService vs) {
    if (vs.provider() instanceof ResolvedService.RouterProvider rp) {
      ResolvedRouter r = g.routers().get(rp.router());
      if (r != null && !r.router().spec().listeners().isEmpty()) {
        return r.router().spec().listeners().get(0).portMapping().port();
      }
    } else if (vs.provider() instanceof ResolvedService.NodeProvider np) {
      ResolvedNode n = g.nodes().get(np.node());
      List<VirtualNode.Listener> ls = n == null ? List.of() : n.node().spec().listeners();
      if (!ls.isEmpty()) {
        return ls.get(0).portMapping().port();
      }
    }
    return 80;
  }
}
