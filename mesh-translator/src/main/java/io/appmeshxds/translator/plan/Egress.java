package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.model.ResolvedService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a node reaches through its backends, port by port: the protocol of each egress port, one
 * route configuration per HTTP-family port, the TCP targets of tcp ports, and the clusters they
 * use with the client policy that applies to each.
 *
 * <p>Conflicts App Mesh could not express either are resolved in awsName order and noted: backends
 * sharing a port must share its protocol family, and only one tcp backend fits a port.
 *
 * <p>What one backend contributes does not depend on the client, only on the virtual service, the
 * client policy and whether the client sees the bare service name; it is planned once per build as
 * a {@link Backend} and shared by every client. Why: a route change must re-plan every client of
 * the service, so a client's own work has to stay a cheap merge of shared parts.
 *
 * @param ports egress ports and their protocol
 * @param routeConfigs one per HTTP-family port
 * @param tcpTargets targets per tcp port
 * @param tcpIdleTimeouts idle timeout of each tcp port's tcp_proxy, in milliseconds (0 disables)
 * @param policies client policy per backend cluster (first backend that uses the cluster wins)
 * @param clusters each backend cluster's plan under the policy that won it
 * @param endpoints each backend cluster's load assignment
 */
record Egress(SortedMap<Long, PortProtocol> ports, List<RouteConfigPlan> routeConfigs,
    Map<Long, List<WeightedCluster>> tcpTargets, Map<Long, Long> tcpIdleTimeouts,
    Map<ClusterId, Tls.ClientPolicy> policies, Map<ClusterId, ClusterPlan> clusters,
    Map<ClusterId, EndpointPlan> endpoints) {

  Tls.ClientPolicy policyFor(ClusterId id) {
    return policies.get(id);
  }

  /** Every backend cluster the routes and tcp chains use, sorted. */
  Set<ClusterId> referencedClusters() {
    return new TreeSet<>(policies.keySet());
  }

  /** One port of a backend: its virtual host (HTTP family) or its tcp targets, and the clusters used. */
  record Port(long port, PortProtocol protocol, VirtualHostPlan host, List<WeightedCluster> tcpTargets, long tcpIdleMs,
      List<ClusterId.Backend> clusters) {}

  /** What one backend virtual service contributes, for one client policy and one view of bare names. */
  record Backend(List<Port> ports, Map<ClusterId, ClusterPlan> clusters, Map<ClusterId, EndpointPlan> endpoints) {}

  private record BackendKey(String mesh, String service, boolean bare, Tls.ClientPolicy policy) {}

  static Egress plan(MeshGraph mesh, ResolvedNode node, PlanContext ctx, List<String> notes) {
    SortedMap<Long, PortProtocol> ports = new TreeMap<>();
    Map<Long, List<VirtualHostPlan>> hosts = new TreeMap<>();
    Map<Long, List<WeightedCluster>> tcp = new TreeMap<>();
    Map<Long, Long> tcpIdle = new TreeMap<>();
    // Why presized: a client has up to 50 backends; growing these maps showed in profiles.
    int expected = node.backends().size() * 4 + 4;
    Map<ClusterId, Tls.ClientPolicy> policies = new LinkedHashMap<>(expected);
    Map<ClusterId, ClusterPlan> clusters = new HashMap<>(expected);
    Map<ClusterId, EndpointPlan> endpoints = new HashMap<>(expected);
    Tls.ClientPolicy defaults = node.node().spec().backendDefaults() == null ? null
        : node.node().spec().backendDefaults().clientPolicy();
    String clientNamespace = node.ref().namespace();
    for (ResolvedNode.Backend b : node.backends()) {
      ResolvedService vs = mesh.services().get(b.service());
      if (vs == null) {
        notes.add("backend " + b.service() + " is not served: the virtual service is not active");
        continue;
      }
      Tls.ClientPolicy policy = b.clientPolicy() != null ? b.clientPolicy() : defaults;
      String serviceNamespace = VirtualHostPlanner.kubernetesNamespace(vs);
      boolean bare = serviceNamespace != null && serviceNamespace.equals(clientNamespace);
      Backend backend = ctx.memo(new BackendKey(mesh.name(), vs.awsName(), bare, policy),
          () -> backend(mesh, vs.awsName(), bare, policy, clientNamespace, ctx));
      for (Port p : backend.ports()) {
        PortProtocol held = ports.get(p.port());
        if (held != null && held.isHttpFamily() != p.protocol().isHttpFamily()) {
          notes.add("backend " + vs.awsName() + " port " + p.port() + " (" + p.protocol() + ") is not served: port "
              + p.port() + " already carries " + held + " for another backend");
          continue;
        }
        if (held == PortProtocol.tcp) {
          notes.add("backend " + vs.awsName() + " port " + p.port() + " (tcp) is not served: another tcp backend holds port "
              + p.port() + " and tcp has no host name to tell them apart");
          continue;
        }
        if (p.protocol().isHttpFamily()) {
          ports.putIfAbsent(p.port(), p.protocol());
          hosts.computeIfAbsent(p.port(), x -> new ArrayList<>()).add(p.host());
        } else if (!p.tcpTargets().isEmpty()) {
          ports.put(p.port(), p.protocol());
          tcp.put(p.port(), p.tcpTargets());
          tcpIdle.put(p.port(), p.tcpIdleMs());
        }
        for (ClusterId.Backend c : p.clusters()) {
          if (!policies.containsKey(c)) {
            policies.put(c, policy);
            clusters.put(c, backend.clusters().get(c));
            endpoints.put(c, backend.endpoints().get(c));
          }
        }
      }
    }
    List<RouteConfigPlan> configs = new ArrayList<>();
    hosts.forEach((port, vhs) -> configs.add(new RouteConfigPlan(new RouteConfigId(Direction.EGRESS, port),
        uniqueDomains(vhs, notes))));
    return new Egress(ports, configs, tcp, tcpIdle, policies, clusters, endpoints);
  }

  /**
   * One backend's part, read through the graph (memoized work records only what it reads). An
   * HTTP-family port gets the service's virtual host; a tcp port its targets (none: not served).
   */
  private static Backend backend(MeshGraph mesh, String service, boolean bare, Tls.ClientPolicy policy,
      String clientNamespace, PlanContext ctx) {
    ResolvedService vs = mesh.services().get(service);
    List<Port> out = new ArrayList<>();
    Map<ClusterId, ClusterPlan> clusters = new HashMap<>();
    Map<ClusterId, EndpointPlan> endpoints = new HashMap<>();
    if (vs == null) {
      return new Backend(out, clusters, endpoints);
    }
    for (Map.Entry<Long, PortProtocol> e : ctx.servicePorts(mesh, vs).entrySet()) {
      long port = e.getKey();
      PortProtocol protocol = e.getValue();
      List<ClusterId.Backend> used = new ArrayList<>();
      if (protocol.isHttpFamily()) {
        // The client namespace only matters through "bare", which is part of the key.
        VirtualHostPlan vh = VirtualHostPlanner.egress(mesh, vs, port, ctx, bare ? clientNamespace : null);
        vh.routes().forEach(r -> r.action().clusters().forEach(c -> {
          if (c.cluster() instanceof ClusterId.Backend be && !used.contains(be)) {
            used.add(be);
          }
        }));
        out.add(new Port(port, protocol, vh, List.of(), 0, List.copyOf(used)));
      } else {
        List<WeightedCluster> targets = VirtualHostPlanner.tcpTargets(mesh, vs, port);
        targets.forEach(c -> {
          if (c.cluster() instanceof ClusterId.Backend be && !used.contains(be)) {
            used.add(be);
          }
        });
        out.add(new Port(port, protocol, null, targets, VirtualHostPlanner.tcpIdleTimeout(mesh, vs, port), List.copyOf(used)));
      }
      for (ClusterId.Backend c : used) {
        clusters.computeIfAbsent(c, x -> ClusterPlanner.backend(mesh, c, policy, false, ctx));
        endpoints.computeIfAbsent(c, x -> EndpointPlanner.memoized(mesh, c, ctx));
      }
    }
    return new Backend(List.copyOf(out), Map.copyOf(clusters), Map.copyOf(endpoints));
  }

  /** Envoy rejects a domain listed by two virtual hosts; the first (by awsName) keeps it. */
  static List<VirtualHostPlan> uniqueDomains(List<VirtualHostPlan> vhs, List<String> notes) {
    int n = 0;
    for (VirtualHostPlan vh : vhs) {
      n += vh.domains().size();
    }
    Set<String> used = new HashSet<>(n * 2);
    boolean clash = false;
    for (VirtualHostPlan vh : vhs) {
      for (String d : vh.domains()) {
        clash |= !used.add(d);
      }
    }
    if (!clash) {
      return vhs;
    }
    used.clear();
    List<VirtualHostPlan> out = new ArrayList<>();
    for (VirtualHostPlan vh : vhs) {
      List<String> keep = new ArrayList<>();
      for (String d : vh.domains()) {
        if (used.add(d)) {
          keep.add(d);
        } else {
          notes.add("domain " + d + " of " + vh.name() + " is already served by another backend; dropped");
        }
      }
      out.add(keep.size() == vh.domains().size() ? vh : new VirtualHostPlan(vh.name(), keep, vh.routes()));
    }
    return out;
  }

  /** Load assignments of the EDS backend clusters among {@code clusters}. */
  static List<EndpointPlan> endpoints(MeshGraph mesh, Collection<ClusterId> clusters, PlanContext ctx) {
    List<EndpointPlan> out = new ArrayList<>();
    Map<ClusterId, EndpointPlan> seen = new HashMap<>();
    for (ClusterId id : new TreeSet<>(clusters)) {
      if (id instanceof ClusterId.Backend b && !seen.containsKey(b)) {
        EndpointPlan ep = EndpointPlanner.memoized(mesh, b, ctx);
        seen.put(b, ep);
        out.add(ep);
      }
    }
    return out;
  }
}
