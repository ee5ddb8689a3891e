package io.appmeshxds.translator.input;

import io.appmeshxds.translator.api.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The six App Mesh documents Flagger's {@code appmesh:v1beta2} router writes for a Canary at
 * initialization, in its creation order, as it sends them (before any webhook: no awsName, no
 * meshRef). Field by field as flagger-appmesh.md §1.2–1.5 describes Flagger v1.44's
 * {@code pkg/router/appmesh_v1beta2.go}; the comments name the rule.
 */
final class FlaggerDocuments {
  private FlaggerDocuments() {}

  private static final Map<String, String> HANDS_OFF = Map.of(
      "kustomize.toolkit.fluxcd.io/reconcile", "disabled", "helm.toolkit.fluxcd.io/driftDetection", "disabled");

  /** Inputs already decided by the caller. */
  record Plan(CanaryInfo canary, String apex, String labelKey, Long timeoutMs, Long perTryMs) {}

  static List<ObjectNode> build(Plan p) {
    String ns = p.canary().ref().namespace();
    String apex = p.apex();
    List<ObjectNode> out = new ArrayList<>();
    out.add(virtualNode(p, apex + "-primary", p.canary().router().targetName() + "-primary",
        apex + "-primary." + ns + ".svc.cluster.local."));
    out.add(virtualNode(p, apex + "-canary", p.canary().router().targetName(), apex + "-canary." + ns + ".svc.cluster.local."));
    out.add(virtualRouter(p, apex, 0));
    out.add(virtualService(p, apex, true));
    out.add(virtualRouter(p, apex + "-canary", 100));
    out.add(virtualService(p, apex + "-canary", false));
    return out;
  }

  private static ObjectNode object(String kind, String name, String ns) {
    ObjectNode o = Json.JSON.createObjectNode();
    o.put("apiVersion", Kind.API_VERSION);
    o.put("kind", kind);
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", ns);
    return o;
  }

  private static String protocol(CanaryInfo.Service s) {
    // getProtocol: grpc when the port name contains "grpc".
    return s.portName() != null && s.portName().contains("grpc") ? "grpc" : "http";
  }

  private static long port(CanaryInfo.Service s) {
    // getContainerPort: targetPort when it is an integer > 0, else port.
    return s.targetPort() != null && s.targetPort() > 0 ? s.targetPort() : s.port();
  }

  private static void portMapping(ObjectNode listener, CanaryInfo.Service s) {
    ObjectNode pm = listener.putObject("portMapping");
    pm.put("port", port(s));
    pm.put("protocol", protocol(s));
  }

  private static ObjectNode virtualNode(Plan p, String name, String podValue, String host) {
    CanaryInfo c = p.canary();
    CanaryInfo.Service s = c.router().service();
    ObjectNode o = object("VirtualNode", name, c.ref().namespace());
    // Both nodes carry the apex metadata plus Flux's hands-off annotations (filterMetadata).
    ObjectNode meta = (ObjectNode) o.get("metadata");
    if (!s.apexLabels().isEmpty()) {
      putMap(meta.putObject("labels"), s.apexLabels());
    }
    Map<String, String> annotations = new LinkedHashMap<>(s.apexAnnotations());
    annotations.putAll(HANDS_OFF);
    putMap(meta.putObject("annotations"), annotations);
    ObjectNode spec = o.putObject("spec");
    spec.putObject("podSelector").putObject("matchLabels").put(p.labelKey(), podValue);
    ObjectNode listener = spec.putArray("listeners").addObject();
    portMapping(listener, s);
    if (p.timeoutMs() != null) {
      // makeListenerTimeout: always the http member, whatever the protocol.
      listener.putObject("timeout").putObject("http").set("perRequest", millis(p.timeoutMs()));
    }
    spec.putObject("serviceDiscovery").putObject("dns").put("hostname", host);
    if (!s.backends().isEmpty()) {
      ArrayNode backends = spec.putArray("backends");
      for (String b : s.backends()) {
        ObjectNode vs = backends.addObject().putObject("virtualService");
        if (b.startsWith("arn:aws")) {
          vs.put("virtualServiceARN", b);
        } else {
          vs.putObject("virtualServiceRef").put("name", b);
        }
      }
    }
    if (c.router().accessLog()) {
      spec.putObject("logging").putObject("accessLog").putObject("file").put("path", "/dev/stdout");
    }
    return o;
  }

  private static ObjectNode virtualRouter(Plan p, String name, int canaryWeight) {
    CanaryInfo c = p.canary();
    CanaryInfo.Service s = c.router().service();
    String apex = p.apex();
    ObjectNode o = object("VirtualRouter", name, c.ref().namespace());
    ObjectNode spec = o.putObject("spec");
    portMapping(spec.putArray("listeners").addObject(), s);
    ArrayNode routes = spec.putArray("routes");
    String prefix = s.prefix() == null || s.prefix().isEmpty() ? "/" : s.prefix();
    if (c.matchEntries() > 0 && canaryWeight == 0) {
      // A/B testing (§1.5), whenever analysis.match has entries: <apex>-a with every header of every
      // entry (one ANDed list), then <apex>-b to the primary.
      ObjectNode a = route(routes, apex + "-a", 10L, prefix, p);
      ObjectNode aMatch = (ObjectNode) a.get("httpRoute").get("match");
      ArrayNode headers = c.router().headers().isEmpty() ? null : aMatch.putArray("headers");
      for (CanaryInfo.Header h : c.router().headers()) {
        ObjectNode header = headers.addObject();
        header.put("name", h.name());
        ObjectNode match = header.putObject("match");
        putIfSet(match, "exact", h.exact());
        putIfSet(match, "prefix", h.prefix());
        putIfSet(match, "regex", h.regex());
        putIfSet(match, "suffix", h.suffix());
      }
      targets(a, apex, 0);
      ObjectNode b = route(routes, apex + "-b", 20L, prefix, p);
      ObjectNode primary = ((ObjectNode) b.get("httpRoute")).putObject("action").putArray("weightedTargets").addObject();
      primary.putObject("virtualNodeRef").put("name", apex + "-primary");
      primary.put("weight", 100);
    } else {
      targets(route(routes, name, null, prefix, p), apex, canaryWeight);
    }
    return o;
  }

  private static ObjectNode route(ArrayNode routes, String name, Long priority, String prefix, Plan p) {
    ObjectNode r = routes.addObject();
    r.put("name", name);
    if (priority != null) {
      r.put("priority", priority);
    }
    // An httpRoute even on a grpc listener: Flagger writes no other route type.
    ObjectNode http = r.putObject("httpRoute");
    http.putObject("match").put("prefix", prefix);
    if (p.timeoutMs() != null) {
      http.putObject("timeout").set("perRequest", millis(p.timeoutMs()));
    }
    CanaryInfo.Retries retries = p.canary().router().service().retries();
    if (retries != null) {
      // makeRetryPolicy: attempts (1 when 0), perTryTimeout (250 ms when unparsable), retryOn split on ","
      // without trimming (gateway-error when empty).
      ObjectNode policy = http.putObject("retryPolicy");
      policy.set("perRetryTimeout", millis(p.perTryMs() == null ? 250 : p.perTryMs()));
      policy.put("maxRetries", retries.attempts() == null || retries.attempts() <= 0 ? 1 : retries.attempts());
      ArrayNode events = policy.putArray("httpRetryEvents");
      String on = retries.retryOn();
      for (String e : on == null || on.isEmpty() ? new String[] {"gateway-error"} : on.split(",", -1)) {
        events.add(e);
      }
    }
    return r;
  }

  /** The canary target first, then the primary; weights always sum to 100 (zero weights stay). */
  private static void targets(ObjectNode route, String apex, int canaryWeight) {
    ArrayNode t = ((ObjectNode) route.get("httpRoute")).putObject("action").putArray("weightedTargets");
    ObjectNode canary = t.addObject();
    canary.putObject("virtualNodeRef").put("name", apex + "-canary");
    canary.put("weight", canaryWeight);
    ObjectNode primary = t.addObject();
    primary.putObject("virtualNodeRef").put("name", apex + "-primary");
    primary.put("weight", 100 - canaryWeight);
  }

  private static ObjectNode virtualService(Plan p, String name, boolean apex) {
    CanaryInfo c = p.canary();
    CanaryInfo.Service s = c.router().service();
    ObjectNode o = object("VirtualService", name, c.ref().namespace());
    if (apex && !s.hosts().isEmpty()) {
      // gatewayAnnotations (§1.4): only on the apex service, only with hosts.
      ObjectNode a = ((ObjectNode) o.get("metadata")).putObject("annotations");
      a.put("gateway.appmesh.k8s.aws/expose", "true");
      a.put("gateway.appmesh.k8s.aws/domain", String.join(",", s.hosts()) + ",");
      if (s.timeout() != null && !s.timeout().isEmpty()) {
        a.put("gateway.appmesh.k8s.aws/timeout", s.timeout());
      }
      if (s.retries() != null && s.retries().attempts() != null && s.retries().attempts() > 0) {
        a.put("gateway.appmesh.k8s.aws/retries", String.valueOf(s.retries().attempts()));
      }
    }
    o.putObject("spec").putObject("provider").putObject("virtualRouter").putObject("virtualRouterRef").put("name", name);
    return o;
  }

  private static ObjectNode millis(long ms) {
    ObjectNode d = Json.JSON.createObjectNode();
    d.put("unit", "ms");
    d.put("value", ms);
    return d;
  }

  private static void putIfSet(ObjectNode n, String key, String value) {
    if (value != null && !value.isEmpty()) {
      n.put(key, value);
    }
  }

  private static void putMap(ObjectNode n, Map<String, String> m) {
    m.forEach(n::put);
  }
}
