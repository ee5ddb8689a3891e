package io.appmeshxds.server.convert;

import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.CloudMapQuery;
import io.appmeshxds.translator.input.K8sService;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.model.ResolvedService;
import io.appmeshxds.translator.plan.EndpointPlanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts a resolved mesh model to Gateway API objects ({@code gateway.networking.k8s.io/v1}
 * HTTPRoute, GRPCRoute, Gateway, ReferenceGrant; {@code v1alpha3} BackendTLSPolicy) and reports,
 * per App Mesh object and field, what was carried exactly, approximated or dropped.
 *
 * <p>Why from the model and not from raw objects: names, meshRef/selectors, awsName defaults and
 * the objects Flagger derives from Canaries then resolve exactly as {@code validate} and {@code
 * render} resolve them, and only accepted objects are converted.
 */
public final class GatewayApiConverter {

  static final String GROUP = "gateway.networking.k8s.io";
  static final String V1 = GROUP + "/v1";
  static final String SOURCE_ANNOTATION = "appmesh-xds.io/converted-from";

  /**
   * The outcome.
   *
   * @param documents Gateway API objects, in a stable order (kind, namespace, name)
   * @param report what was carried and what was lost
   */
  public record Result(List<Map<String, Object>> documents, LossReport report) {}

  final MeshModel model;
  final String gatewayClass;
  final LossReport report = new LossReport();
  private final TreeMap<String, Map<String, Object>> docs = new TreeMap<>();
  /** ReferenceGrants: target namespace → (from kind, from namespace) pairs. */
  private final TreeMap<String, java.util.TreeSet<String>> grants = new TreeMap<>();

  private GatewayApiConverter(MeshModel model, String gatewayClass) {
    this.model = model;
    this.gatewayClass = gatewayClass;
  }

  /** Converts every mesh of {@code model}; Gateways get {@code gatewayClass}. */
  public static Result convert(MeshModel model, String gatewayClass) {
    GatewayApiConverter c = new GatewayApiConverter(model, gatewayClass);
    for (MeshGraph g : model.meshes().values()) {
      c.mesh(g);
      for (ResolvedNode n : g.nodes().values()) {
        c.node(n);
      }
      for (ResolvedService s : g.services().values()) {
        MeshRoutes.service(c, g, s);
      }
      IngressObjects.gateways(c, g);
      BackendTls.policies(c, g);
    }
    c.referenceGrants();
    return new Result(List.copyOf(c.docs.values()), c.report);
  }

  // ---- shared helpers ----

  static String label(ObjectRef r) {
    return r.kind() + " " + (r.namespace() == null ? "" : r.namespace() + "/") + r.name();
  }

  /** Adds an output document; a second document of the same identity is reported and not added. */
  void emit(Map<String, Object> doc, String from) {
    @SuppressWarnings("unchecked")
    Map<String, Object> meta = (Map<String, Object>) doc.get("metadata");
    String key = doc.get("kind") + "/" + meta.get("namespace") + "/" + meta.get("name");
    if (doc.equals(docs.get(key))) {
      return;
    }
    if (docs.containsKey(key)) {
      report.dropped(from, "metadata.name", doc.get("kind") + " " + meta.get("namespace") + "/" + meta.get("name")
          + " is already written for another object; rename one of them");
      return;
    }
    docs.put(key, doc);
  }

  /** An ordered map of key/value pairs. Why not Map.of: its iteration order changes between JVM runs, and output must be stable. */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Map<String, Object> object(String apiVersion, String kind, String namespace, String name, String from) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", apiVersion);
    doc.put("kind", kind);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", name);
    meta.put("namespace", namespace);
    if (from != null) {
      meta.put("annotations", map(SOURCE_ANNOTATION, from));
    }
    doc.put("metadata", meta);
    return doc;
  }

  K8sService service(String namespace, String name) {
    return model.inputs().services().get(new ObjectRef("Service", namespace, name));
  }

  /**
   * The Kubernetes Service a VirtualService's name is the DNS name of, {@code [namespace, name]};
   * when its awsName names none in the input, a Service named like the VirtualService, reported.
   */
  String[] serviceOfVirtualService(ResolvedService vs, String field) {
    String ns = vs.ref().namespace();
    String[] svc = EndpointPlanner.kubernetesService(vs.awsName(), ns);
    String obj = label(vs.ref());
    if (svc != null && service(svc[0], svc[1]) != null) {
      report.exact(obj, field, "the Service " + svc[0] + "/" + svc[1] + " (" + vs.awsName() + " is its DNS name)");
      return svc;
    }
    report.approximated(obj, field, "no Kubernetes Service in the input has the DNS name " + vs.awsName()
        + "; the routes use the Service " + ns + "/" + vs.ref().name() + " (named like the VirtualService): create it,"
        + " and note that callers now call its DNS name, not " + vs.awsName());
    return new String[] {ns, vs.ref().name()};
  }

  /**
   * A backendRef to the Service a VirtualNode's DNS hostname names, or null (reported) when it has
   * none (Cloud Map, an external host name).
   */
  Map<String, Object> nodeBackend(ResolvedNode n, long port, Long weight, String routeNamespace, String routeKind,
      String obj, String field) {
    VirtualNode vn = n.node();
    CloudMapQuery q = CloudMapQuery.of(vn);
    if (q != null) {
      report.dropped(obj, field, "VirtualNode " + n.ref().namespace() + "/" + n.ref().name() + " is discovered in AWS Cloud Map ("
          + q + "); a backendRef names a Kubernetes Service: create a Service for its pods and add it by hand");
      return null;
    }
    String host = EndpointPlanner.hostname(vn);
    String[] svc = host == null ? null : EndpointPlanner.kubernetesService(host, n.ref().namespace());
    if (svc == null) {
      report.dropped(obj, field, "VirtualNode " + n.ref().namespace() + "/" + n.ref().name() + "'s DNS hostname " + host
          + " names no Kubernetes Service; a backendRef cannot name an external host");
      return null;
    }
    return serviceBackend(svc, port, weight, routeNamespace, routeKind, obj, field);
  }

  /** A backendRef to {@code svc} on the Service port serving {@code targetPort}; reported when uncertain. */
  Map<String, Object> serviceBackend(String[] svc, long targetPort, Long weight, String routeNamespace, String routeKind,
      String obj, String field) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("name", svc[1]);
    if (!svc[0].equals(routeNamespace)) {
      ref.put("namespace", svc[0]);
      grants.computeIfAbsent(svc[0], k -> new java.util.TreeSet<>()).add(routeKind + "/" + routeNamespace);
    }
    K8sService s = service(svc[0], svc[1]);
    long port = targetPort;
    if (s == null) {
      report.approximated(obj, field, "backendRef Service " + svc[0] + "/" + svc[1] + " is not in the input; port "
          + targetPort + " assumed to be its port");
    } else {
      K8sService.Port byPort = s.ports().stream().filter(p -> p.port() == targetPort).findFirst().orElse(null);
      K8sService.Port byTarget = s.ports().stream()
          .filter(p -> p.targetPort() != null && p.targetPort() == targetPort).findFirst().orElse(null);
      if (byPort != null) {
        report.exact(obj, field, "backendRef Service " + svc[0] + "/" + svc[1] + " port " + port
            + (weight == null ? "" : ", weight " + weight));
      } else if (byTarget != null) {
        port = byTarget.port();
        report.exact(obj, field, "backendRef Service " + svc[0] + "/" + svc[1] + " port " + port + " (targetPort "
            + targetPort + ")" + (weight == null ? "" : ", weight " + weight));
      } else {
        report.approximated(obj, field, "Service " + svc[0] + "/" + svc[1] + " has no port or targetPort " + targetPort
            + "; backendRef port " + targetPort + " written as is");
      }
    }
    ref.put("port", port);
    if (weight != null) {
      ref.put("weight", weight);
    }
    return ref;
  }

  private void mesh(MeshGraph g) {
    var spec = g.mesh().spec();
    String obj = label(ObjectRef.of(g.mesh()));
    if (spec != null && spec.egressFilter() != null) {
      report.dropped(obj, "spec.egressFilter", "no Gateway API field: which external hosts meshed pods may call is "
          + "the implementation's egress policy");
    }
  }

  /** Per-listener features of a VirtualNode that Gateway API has no core field for. */
  private void node(ResolvedNode n) {
    String obj = label(n.ref());
    VirtualNode.Spec s = n.node().spec();
    for (int i = 0; i < s.listeners().size(); i++) {
      VirtualNode.Listener l = s.listeners().get(i);
      String f = "spec.listeners[" + i + "]";
      if (l.healthCheck() != null) {
        report.dropped(obj, f + ".healthCheck", "no core Gateway API field (Kubernetes readiness probes decide endpoint health)");
      }
      if (l.outlierDetection() != null) {
        report.dropped(obj, f + ".outlierDetection", "no core Gateway API field (outlier detection is implementation policy)");
      }
      if (l.connectionPool() != null) {
        report.dropped(obj, f + ".connectionPool", "no core Gateway API field (connection pools are implementation policy)");
      }
      if (l.timeout() != null) {
        report.dropped(obj, f + ".timeout", "no core Gateway API field for a server-side listener timeout; "
            + "route timeouts (timeouts.request) apply per HTTPRoute rule");
      }
      if (l.tls() != null) {
        report.dropped(obj, f + ".tls", "no Gateway API field for a meshed workload's own TLS: mesh mTLS is the "
            + "implementation's (GAMMA has no listener TLS)");
      }
    }
    if (s.logging() != null) {
      report.dropped(obj, "spec.logging", "no core Gateway API field (access logs are implementation config)");
    }
    if (CloudMapQuery.of(n.node()) != null) {
      report.dropped(obj, "spec.serviceDiscovery.awsCloudMap", "Gateway API routes to Kubernetes Services; a Cloud Map "
          + "service has none: create a Service for these pods");
    }
  }

  /** One ReferenceGrant per target namespace, allowing each route kind from each namespace to its Services. */
  private void referenceGrants() {
    grants.forEach((ns, froms) -> {
      Map<String, Object> doc = object(GROUP + "/v1beta1", "ReferenceGrant", ns, "appmesh-xds-converted", null);
      List<Map<String, Object>> from = new ArrayList<>();
      for (String f : froms) {
        String[] kindNs = f.split("/", 2);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", GROUP);
        m.put("kind", kindNs[0]);
        m.put("namespace", kindNs[1]);
        from.add(m);
      }
      Map<String, Object> to = new LinkedHashMap<>();
      to.put("group", "");
      to.put("kind", "Service");
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("from", from);
      spec.put("to", List.of(to));
      doc.put("spec", spec);
      emit(doc, null);
    });
  }
}
