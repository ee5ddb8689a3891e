package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.ConnectionPools;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.Reference;
import io.appmeshxds.translator.api.VirtualNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Object-local rules of a VirtualNode (webhook + AWS API rules; the schema is checked apart). */
final class NodeRules {
  private NodeRules() {}

  static void check(VirtualNode vn, Findings f) {
    VirtualNode.Spec s = vn.spec();
    CommonRules.awsName(s.awsName(), f);
    Map<Long, Integer> ports = new HashMap<>();
    for (int i = 0; i < s.listeners().size(); i++) {
      VirtualNode.Listener l = s.listeners().get(i);
      String at = "spec.listeners[" + i + "]";
      listener(at, l, f);
      if (l.portMapping() != null && l.portMapping().port() != null) {
        Integer first = ports.putIfAbsent(l.portMapping().port(), i);
        if (first != null) {
          f.error(at + ".portMapping.port", "port " + l.portMapping().port() + " is already used by listeners[" + first + "]");
        }
      }
    }
    if (!s.listeners().isEmpty() && s.serviceDiscovery() == null) {
      f.error("spec.serviceDiscovery", "required when listeners are set (ServiceDiscovery must be specified when a listener is specified)");
    }
    VirtualNode.ServiceDiscovery sd = s.serviceDiscovery();
    if (sd != null && f.exactlyOne("spec.serviceDiscovery", true, "awsCloudMap", sd.awsCloudMap(), "dns", sd.dns())) {
      if (sd.awsCloudMap() != null) {
        cloudMap(sd.awsCloudMap(), f);
      }
      if (sd.dns() != null && sd.dns().hostname() != null && sd.dns().hostname().isBlank()) {
        f.error("spec.serviceDiscovery.dns.hostname", "must not be empty");
      }
    }
    backends(vn.namespace(), s, f);
    if (s.backendDefaults() != null) {
      CommonRules.clientPolicy("spec.backendDefaults.clientPolicy", s.backendDefaults().clientPolicy(), f);
    }
    for (int i = 0; i < s.backendGroups().size(); i++) {
      Reference r = s.backendGroups().get(i);
      if (r.name() != null && r.name().isEmpty()) {
        f.error("spec.backendGroups[" + i + "].name", "must not be empty");
      }
    }
    CommonRules.logging("spec.logging", s.logging(), f);
  }

  /**
   * {@code awsCloudMap}: the lengths are schema rules. An attribute key listed twice cannot be
   * asked of Cloud Map (its query parameters are a map): the last value is used, with a warning.
   * Why no immutability check: App Mesh's webhook refused changes to the block once set, a rule
   * about updates that neither {@code validate} nor a watch can see.
   */
  private static void cloudMap(VirtualNode.CloudMap cm, Findings f) {
    Map<String, Integer> keys = new HashMap<>();
    for (int i = 0; i < cm.attributes().size(); i++) {
      VirtualNode.CloudMapAttribute a = cm.attributes().get(i);
      if (a == null || a.key() == null) {
        continue;
      }
      Integer first = keys.putIfAbsent(a.key(), i);
      if (first != null) {
        f.warn("spec.serviceDiscovery.awsCloudMap.attributes[" + i + "].key", "attribute " + a.key()
            + " is already filtered on by attributes[" + first + "]; Cloud Map takes one value per key, the last one");
      }
    }
  }

  private static void listener(String at, VirtualNode.Listener l, Findings f) {
    PortProtocol protocol = l.portMapping() == null ? null : l.portMapping().protocol();
    VirtualNode.ConnectionPool pool = l.connectionPool();
    if (pool != null) {
      String field = at + ".connectionPool";
      String set = onlyOne(field, f, "Only one type of Virtual Node Connection Pool is allowed",
          "tcp", pool.tcp(), "http", pool.http(), "http2", pool.http2(), "grpc", pool.grpc());
      if (set != null && protocol != null && !set.equals(protocol.name())) {
        f.error(field + "." + set, "connection pool type must match the listener protocol " + protocol);
      }
      if (pool.http() != null) {
        ConnectionPools.Http h = pool.http();
        if (h.maxPendingRequests() != null && h.maxPendingRequests() < 1) {
          f.error(field + ".http.maxPendingRequests", "must be at least 1");
        }
      }
    }
    VirtualNode.ListenerTimeout t = l.timeout();
    if (t != null) {
      String field = at + ".timeout";
      String set = onlyOne(field, f, null, "tcp", t.tcp(), "http", t.http(), "http2", t.http2(), "grpc", t.grpc());
      if (set != null && protocol != null && !set.equals(protocol.name())) {
        f.error(field + "." + set, "timeout type must match the listener protocol " + protocol);
      }
    }
    if (l.tls() != null) {
      CommonRules.listenerCertificate(at + ".tls.certificate", l.tls().certificate(), f);
      if (l.tls().validation() != null && l.tls().validation().trust() != null) {
        var trust = l.tls().validation().trust();
        f.exactlyOne(at + ".tls.validation.trust", true, "file", trust.file(), "sds", trust.sds());
        CommonRules.sans(at + ".tls.validation.subjectAlternativeNames", l.tls().validation().subjectAlternativeNames(), f);
      }
    }
    if (l.healthCheck() != null && l.healthCheck().path() != null && l.healthCheck().protocol() != null
        && l.healthCheck().protocol() != PortProtocol.http && l.healthCheck().protocol() != PortProtocol.http2) {
      f.warn(at + ".healthCheck.path", "used only by http and http2 health checks; ignored for " + l.healthCheck().protocol());
    }
    if (l.outlierDetection() != null) {
      var od = l.outlierDetection();
      if (od.interval() != null && od.interval().value() != null && od.interval().value() == 0) {
        f.error(at + ".outlierDetection.interval.value", "must be greater than 0");
      }
    }
  }

  /** Returns the single member set, reporting none/several; {@code several} overrides the text. */
  static String onlyOne(String field, Findings f, String several, Object... namesAndValues) {
    String found = null;
    int n = 0;
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] != null) {
        found = (String) namesAndValues[i];
        n++;
      }
    }
    if (n == 1) {
      return found;
    }
    if (n > 1 && several != null) {
      f.error(field, several);
      return null;
    }
    f.exactlyOne(field, true, namesAndValues);
    return null;
  }

  private static void backends(String namespace, VirtualNode.Spec s, Findings f) {
    Set<String> seen = new HashSet<>();
    List<VirtualNode.Backend> backends = s.backends();
    for (int i = 0; i < backends.size(); i++) {
      VirtualNode.VirtualServiceBackend b = backends.get(i).virtualService();
      if (b == null) {
        continue; // schema reported it
      }
      String at = "spec.backends[" + i + "].virtualService";
      if (!f.exactlyOne(at, true, "virtualServiceRef", b.virtualServiceRef(), "virtualServiceARN", b.virtualServiceARN())) {
        continue;
      }
      String key;
      if (b.virtualServiceARN() != null) {
        Arns.Parsed p = Arns.parse(b.virtualServiceARN(), "virtualService", at + ".virtualServiceARN", f);
        key = p == null ? b.virtualServiceARN() : "arn:" + p.name();
      } else {
        key = b.virtualServiceRef().namespaceOr(namespace) + "/" + b.virtualServiceRef().name();
      }
      if (!seen.add(key)) {
        f.error(at, "duplicate backend: this virtual service is already listed");
      }
      CommonRules.clientPolicy(at + ".clientPolicy", b.clientPolicy(), f);
    }
  }
}
