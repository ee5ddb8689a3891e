package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.CloudMapAnswer;
import io.appmeshxds.translator.input.CloudMapQuery;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.input.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Endpoints of a VirtualNode listener. A node with {@code awsCloudMap} discovery: the instances the
 * server discovered in Cloud Map ({@code cloudMap} answers), for every client (App Mesh served
 * them as EDS). A node with DNS discovery, for the clients that get EDS
 * (proxyless gRPC clients always, Envoy proxies of meshes that opted into per-pod endpoints; see
 * {@link EndpointSource}) — the EndpointSlice rule:
 *
 * <ul>
 *   <li>{@code <service>.<namespace>[.svc[.cluster.local]][.]}, or a bare {@code <service>} read
 *       relative to the VirtualNode's namespace (as the pod's resolver would): the ready endpoints of
 *       that Service's EndpointSlices, on the slice port equal to the listener port, else the slice's
 *       only port;
 *   <li>an IP literal: that single endpoint;
 *   <li>any other host name, or a Service name without slices: the addresses the server resolved for
 *       {@link #resolvableName} ({@code dnsAnswers}).
 * </ul>
 */
public final class EndpointPlanner {
  private EndpointPlanner() {}

  private static final Pattern K8S_HOST =
      Pattern.compile("^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.svc(\\.cluster\\.local)?)?$");
  private static final Pattern BARE_HOST = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

  /** Host name without the trailing dot, or null when the node has no DNS discovery. */
  public static String hostname(VirtualNode vn) {
    var sd = vn.spec().serviceDiscovery();
    if (sd == null || sd.dns() == null || sd.dns().hostname() == null) {
      return null;
    }
    String h = sd.dns().hostname();
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /**
   * The name the control plane resolves for {@code vn}'s hostname (and keys its answer by): a bare
   * name (no dot) qualified with the VirtualNode's namespace, {@code <name>.<namespace>}, which the
   * server's resolver completes with its {@code svc.<cluster domain>} search suffix as the node's own
   * pods' resolver would; {@code localhost} and any other name as written, without a trailing dot
   * (RFC 6761: resolvers answer {@code localhost} themselves, and a pod's {@code /etc/hosts} has it);
   * null for an IP literal or no DNS discovery.
   */
  public static String resolvableName(VirtualNode vn) {
    String h = hostname(vn);
    if (h == null || h.isEmpty() || isIpLiteral(h)) {
      return null;
    }
    return h.indexOf('.') < 0 && !h.equalsIgnoreCase("localhost") && vn.metadata() != null
        && vn.metadata().namespace() != null ? h + "." + vn.metadata().namespace() : h;
  }

  /**
   * The Kubernetes Service a hostname names, {@code [namespace, service]}, or null: {@code
   * <service>.<namespace>[.svc[.cluster.local]]} (no trailing dot), or a bare {@code <service>} in
   * {@code nodeNamespace}.
   */
  public static String[] kubernetesService(String host, String nodeNamespace) {
    Matcher m = K8S_HOST.matcher(host);
    if (m.matches()) {
      return new String[] {m.group(3), m.group(1)};
    }
    if (nodeNamespace != null && BARE_HOST.matcher(host).matches() && !host.equals("localhost")) {
      return new String[] {nodeNamespace, host};
    }
    return null;
  }

  /**
   * The name a node is discovered by, which App Mesh put in the {@code Host} of health checks and
   * matched server certificates against: the DNS hostname (without a trailing dot), or for Cloud
   * Map {@code <serviceName>.<namespaceName>} (App Mesh user guide, TLS: "the format
   * service-name.namespace-name"); null without either.
   */
  public static String discoveryName(VirtualNode vn) {
    CloudMapQuery q = CloudMapQuery.of(vn);
    return q != null ? q.serviceFqdn() : hostname(vn);
  }

  /** The health check's own port when it differs from the listener's, else null. */
  public static Long healthCheckPort(VirtualNode.Listener listener) {
    long port = listener.portMapping().port();
    return listener.healthCheck() != null && listener.healthCheck().port() != null && listener.healthCheck().port() != port
        ? listener.healthCheck().port() : null;
  }

  public static boolean isIpLiteral(String h) {
    return IPV4.matcher(h).matches() || h.contains(":") && h.matches("^[0-9a-fA-F:.]+$");
  }

  /**
   * The load assignment of a backend cluster, memoized per build (shared by every proxy that uses
   * the cluster); empty when the node has no listener on the cluster's port.
   *
   * <p>Why the lookups happen inside the memo: a memoized computation must read what it uses
   * through the graph, so that the reads are recorded and a change to the node forgets the entry.
   */
  /** Memo key of a backend cluster's load assignment. */
  private record EdsKey(ClusterId.Backend cluster) {}

  public static EndpointPlan memoized(MeshGraph mesh, ClusterId.Backend b, PlanContext ctx) {
    return ctx.memo(new EdsKey(b), () -> {
      VirtualNode.Listener l = ClusterPlanner.listener(mesh, b);
      return l == null ? new EndpointPlan(b, List.of()) : plan(mesh, b, mesh.nodes().get(b.node()).node(), l, ctx);
    });
  }

  /**
   * The load assignment of {@code cluster}, which points at {@code listener} of {@code vn} in
   * {@code mesh}. A Cloud Map node's endpoints are the instances of its answer, each on the
   * listener's port (App Mesh routed to a node on its listener port; the {@code AWS_INSTANCE_PORT}
   * the controller registered is the first listener's port only), at the address the mesh's IP
   * preference picks; no answer yet means no endpoints.
   */
  public static EndpointPlan plan(MeshGraph mesh, ClusterId cluster, VirtualNode vn, VirtualNode.Listener listener,
      PlanContext ctx) {
    long port = listener.portMapping().port();
    Long hcPort = healthCheckPort(listener);
    String host = hostname(vn);
    Map<String, Set<String>> byZone = new TreeMap<>();
    List<EndpointPlan.Address> flat = new ArrayList<>();
    CloudMapQuery cloudMap = CloudMapQuery.of(vn);
    if (cloudMap != null) {
      CloudMapAnswer answer = ctx.cloudMap(cloudMap);
      if (answer != null) {
        Mesh m = mesh.mesh();
        Mesh.IpPreference pref = m == null || m.spec().meshServiceDiscovery() == null ? null
            : m.spec().meshServiceDiscovery().ipPreference();
        Set<String> seen = new java.util.HashSet<>();
        for (CloudMapAnswer.Instance i : answer.instances()) {
          String ip = i.address(pref);
          if (ip != null && seen.add(ip)) {
            flat.add(new EndpointPlan.Address(ip, port, hcPort));
          }
        }
      }
    } else if (host != null) {
      String[] svc = isIpLiteral(host) ? null : kubernetesService(host, vn.metadata() == null ? null : vn.metadata().namespace());
      if (isIpLiteral(host)) {
        flat.add(new EndpointPlan.Address(host, port, hcPort));
      } else if (svc != null && !ctx.slicesOf(svc[0], svc[1]).isEmpty()) {
        Map<String, Long> seen = new TreeMap<>();
        for (EndpointSlice s : ctx.slicesOf(svc[0], svc[1])) {
          Long slicePort = slicePort(s, port);
          if (slicePort == null || "FQDN".equals(s.addressType())) {
            continue;
          }
          for (EndpointSlice.Endpoint e : s.endpoints()) {
            if (!e.isReady() || e.addresses().isEmpty()) {
              continue;
            }
            String ip = e.addresses().get(0);
            if (seen.putIfAbsent(ip + ":" + slicePort, slicePort) == null) {
              byZone.computeIfAbsent(e.zone() == null ? "" : e.zone(), z -> new LinkedHashSet<>()).add(ip + "|" + slicePort);
            }
          }
        }
      } else {
        for (String ip : ctx.dnsAnswers(resolvableName(vn))) {
          flat.add(new EndpointPlan.Address(ip, port, hcPort));
        }
      }
    }
    List<EndpointPlan.Locality> localities = new ArrayList<>();
    if (!flat.isEmpty()) {
      localities.add(new EndpointPlan.Locality("", sorted(flat)));
    }
    byZone.forEach((zone, entries) -> {
      List<EndpointPlan.Address> list = new ArrayList<>();
      for (String e : entries) {
        int bar = e.lastIndexOf('|');
        list.add(new EndpointPlan.Address(e.substring(0, bar), Long.parseLong(e.substring(bar + 1)), hcPort));
      }
      localities.add(new EndpointPlan.Locality(zone, sorted(list)));
    });
    return new EndpointPlan(cluster, localities);
  }

  private static List<EndpointPlan.Address> sorted(List<EndpointPlan.Address> in) {
    List<EndpointPlan.Address> out = new ArrayList<>(in);
    out.sort(java.util.Comparator.comparing(EndpointPlan.Address::ip).thenComparingLong(EndpointPlan.Address::port));
    return out;
  }

  /** The slice port for a listener port: the equal one, else the only one. */
  private static Long slicePort(EndpointSlice s, long listenerPort) {
    for (EndpointSlice.Port p : s.ports()) {
      if (p.port() != null && p.port() == listenerPort) {
        return listenerPort;
      }
    }
    if (s.ports().size() == 1 && s.ports().get(0).port() != null) {
      return (long) s.ports().get(0).port();
    }
    return null;
  }
}
