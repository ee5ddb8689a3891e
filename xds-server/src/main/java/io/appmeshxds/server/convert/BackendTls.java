package io.appmeshxds.server.convert;

import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.ResolvedGateway;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.model.ResolvedRouter;
import io.appmeshxds.translator.model.ResolvedService;
import io.appmeshxds.translator.plan.EndpointPlanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Client policies with TLS validation (a VirtualNode's backend or backend defaults, a
 * VirtualGateway's backend defaults) as {@code gateway.networking.k8s.io/v1alpha3}
 * BackendTLSPolicy on the Services of the VirtualNodes behind the backend.
 */
final class BackendTls {
  private BackendTls() {}

  static void policies(GatewayApiConverter c, MeshGraph g) {
    for (ResolvedNode n : g.nodes().values()) {
      VirtualNode.Spec s = n.node().spec();
      Tls.ClientPolicy dflt = s.backendDefaults() == null ? null : s.backendDefaults().clientPolicy();
      String obj = GatewayApiConverter.label(n.ref());
      // The resolved backends carry each backend's own policy (null: the defaults apply).
      for (ResolvedNode.Backend b : n.backends()) {
        if (b.clientPolicy() != null) {
          if (b.clientPolicy().tls() != null) {
            policy(c, g, b.service(), b.clientPolicy().tls(), obj, backendField(n, g, b.service()) + ".clientPolicy.tls");
          }
        } else if (dflt != null && dflt.tls() != null) {
          policy(c, g, b.service(), dflt.tls(), obj, "spec.backendDefaults.clientPolicy.tls");
        }
      }
    }
    for (ResolvedGateway gw : g.gateways().values()) {
      VirtualGateway.Spec s = gw.gateway().spec();
      if (s.backendDefaults() != null && s.backendDefaults().clientPolicy() != null
          && s.backendDefaults().clientPolicy().tls() != null) {
        for (String route : gw.routes()) {
          var r = g.gatewayRoutes().get(route);
          if (r != null) {
            policy(c, g, r.targetService(), s.backendDefaults().clientPolicy().tls(), GatewayApiConverter.label(gw.ref()),
                "spec.backendDefaults.clientPolicy.tls");
          }
        }
      }
    }
  }

  /** {@code spec.backends[i].virtualService} of the entry naming {@code vsName}, or {@code spec.backends}. */
  private static String backendField(ResolvedNode n, MeshGraph g, String vsName) {
    ResolvedService vs = g.services().get(vsName);
    List<VirtualNode.Backend> backends = n.node().spec().backends();
    for (int i = 0; vs != null && i < backends.size(); i++) {
      VirtualNode.VirtualServiceBackend vb = backends.get(i).virtualService();
      boolean byRef = vb.virtualServiceRef() != null && vs.ref().name().equals(vb.virtualServiceRef().name())
          && vs.ref().namespace().equals(vb.virtualServiceRef().namespace() != null ? vb.virtualServiceRef().namespace()
              : n.ref().namespace());
      boolean byArn = vb.virtualServiceARN() != null && vb.virtualServiceARN().endsWith("/virtualService/" + vsName);
      if (byRef || byArn) {
        return "spec.backends[" + i + "].virtualService";
      }
    }
    return "spec.backends";
  }

  private static void policy(GatewayApiConverter c, MeshGraph g, String vsName, Tls.ClientPolicyTls tls, String obj, String f) {
    ResolvedService vs = g.services().get(vsName);
    if (vs == null) {
      return;
    }
    if (!tls.enforced()) {
      c.report.dropped(obj, f + ".enforce", "enforce: false has no Gateway API equivalent; no BackendTLSPolicy written for "
          + vsName);
      return;
    }
    Tls.Trust trust = tls.validation().trust();
    if (trust.acm() != null) {
      c.report.dropped(obj, f + ".validation.trust.acm", "BackendTLSPolicy references CA certificates in ConfigMaps; ACM "
          + "Private CA authorities cannot be referenced: export the CA to a ConfigMap and write the policy by hand");
      return;
    }
    if (tls.certificate() != null) {
      c.report.dropped(obj, f + ".certificate", "BackendTLSPolicy has no client certificate (mTLS to the backend is the "
          + "implementation's)");
    }
    if (!tls.ports().isEmpty()) {
      c.report.approximated(obj, f + ".ports", "the policy applies to every port of the Service, not only " + tls.ports());
    }
    for (ResolvedNode n : nodesBehind(g, vs)) {
      String host = EndpointPlanner.hostname(n.node());
      String[] svc = host == null ? null : EndpointPlanner.kubernetesService(host, n.ref().namespace());
      if (svc == null) {
        c.report.dropped(obj, f, "VirtualNode " + n.awsName() + " behind " + vsName + " has no Kubernetes Service; "
            + "BackendTLSPolicy targets Services");
        continue;
      }
      String ca;
      if (trust.sds() != null) {
        ca = trust.sds().secretName();
        c.report.approximated(obj, f + ".validation.trust.sds", "caCertificateRefs: ConfigMap " + ca + " (App Mesh's SDS "
            + "secret name; the policy reads a ConfigMap with key ca.crt)");
      } else {
        ca = svc[1] + "-ca";
        c.report.approximated(obj, f + ".validation.trust.file", "caCertificateRefs: ConfigMap " + ca + ": create it with "
            + "key ca.crt from " + trust.file().certificateChain() + " (a policy reads ConfigMaps, not files)");
      }
      Map<String, Object> doc = GatewayApiConverter.object(GatewayApiConverter.GROUP + "/v1alpha3", "BackendTLSPolicy", svc[0],
          svc[1] + "-tls", null);
      Map<String, Object> target = new LinkedHashMap<>();
      target.put("group", "");
      target.put("kind", "Service");
      target.put("name", svc[1]);
      Map<String, Object> validation = new LinkedHashMap<>();
      Map<String, Object> caRef = new LinkedHashMap<>();
      caRef.put("group", "");
      caRef.put("kind", "ConfigMap");
      caRef.put("name", ca);
      validation.put("caCertificateRefs", List.of(caRef));
      validation.put("hostname", EndpointPlanner.discoveryName(n.node()));
      var sans = tls.validation().subjectAlternativeNames();
      if (sans != null && sans.match() != null && !sans.match().exact().isEmpty()) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String san : sans.match().exact()) {
          out.add(san.contains("://") ? GatewayApiConverter.map("type", "URI", "uri", san) : GatewayApiConverter.map("type", "Hostname", "hostname", san));
        }
        validation.put("subjectAltNames", out);
        c.report.exact(obj, f + ".validation.subjectAlternativeNames", "validation.subjectAltNames");
      }
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("targetRefs", List.of(target));
      spec.put("validation", validation);
      doc.put("spec", spec);
      c.report.approximated(obj, f, "BackendTLSPolicy " + svc[0] + "/" + svc[1] + "-tls: it applies to every client of "
          + "Service " + svc[1] + " (App Mesh applied the policy to this client's calls only); in a mesh (GAMMA) the "
          + "implementation's own mTLS usually governs instead");
      c.emit(doc, obj);
    }
  }

  private static List<ResolvedNode> nodesBehind(MeshGraph g, ResolvedService vs) {
    List<ResolvedNode> out = new ArrayList<>();
    if (vs.provider() instanceof ResolvedService.NodeProvider np) {
      ResolvedNode n = g.nodes().get(np.node());
      if (n != null) {
        out.add(n);
      }
    } else if (vs.provider() instanceof ResolvedService.RouterProvider rp) {
      ResolvedRouter r = g.routers().get(rp.router());
      if (r != null) {
        r.routes().stream().flatMap(x -> x.targets().stream()).map(t -> g.nodes().get(t.node())).distinct()
            .filter(n -> n != null && !out.contains(n)).forEach(out::add);
      }
    }
    return out;
  }
}
