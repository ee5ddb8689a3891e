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
 * @param ports egress ports and their protocol
 * @param routeConfigs one per HTTP-family port
 * @param tcpTargets targets per tcp port
 * @param tcpIdleTimeouts idle timeout of each tcp port's tcp_proxy, in milliseconds (0 disables)
 * @param policies client policy per backend cluster (first backend that uses the cluster wins)
 */
record Egress(SortedMap<Long, PortProtocol> ports, List<RouteConfigPlan> routeConfigs,
    Map<Long, List<WeightedCluster>> tcpTargets, Map<Long, Long> tcpIdleTimeouts,
    Map<ClusterId, Tls.ClientPolicy> policies) {

  Tls.ClientPolicy policyFor(ClusterId id) {
    return policies.get(id);
  }

  /** Every backend cluster the routes and tcp chains use, sorted. */
  Set<ClusterId> referencedClusters() {
    return new TreeSet<>(policies.keySet());
  }

  static Egress plan(MeshGraph mesh, ResolvedNode node, PlanContext ctx, List<String> notes) {
    SortedMap<Long, PortProtocol> ports = new TreeMap<>();
    Map<Long, List<VirtualHostPlan>> hosts = new TreeMap<>();
    Map<Long, List<WeightedCluster>> tcp = new TreeMap<>();
    Map<Long, Long> tcpIdle = new TreeMap<>();
    Map<ClusterId, Tls.ClientPolicy> policies = new LinkedHashMap<>();
    Tls.ClientPolicy defaults = node.node().spec().backendDefaults() == null ? null
        : node.node().spec().backendDefaults().clientPolicy();
    for (ResolvedNode.Backend b : node.backends()) {
      ResolvedService vs = mesh.services().get(b.service());
      if (vs == null) {
        notes.add("backend " + b.service() + " is not served: the virtual service is not active");
        continue;
      }
      Tls.ClientPolicy policy = b.clientPolicy() != null ? b.clientPolicy() : defaults;
      ctx.servicePorts(mesh, vs).forEach((port, protocol) -> {
        PortProtocol held = ports.get(port);
        if (held != null && held.isHttpFamily() != protocol.isHttpFamily()) {
          notes.add("backend " + vs.awsName() + " port " + port + " (" + protocol + ") is not served: port " + port
              + " already carries " + held + " for another backend");
          return;
        }
        if (held == PortProtocol.tcp) {
          notes.add("backend " + vs.awsName() + " port " + port + " (tcp) is not served: another tcp backend holds port "
              + port + " and tcp has no host name to tell them apart");
          return;
        }
        if (protocol.isHttpFamily()) {
          ports.putIfAbsent(port, protocol);
          VirtualHostPlan vh = VirtualHostPlanner.egress(mesh, vs, port, ctx, node.ref().namespace());
          hosts.computeIfAbsent(port, p -> new ArrayList<>()).add(vh);
          vh.routes().forEach(r -> r.action().clusters().forEach(c -> policies.putIfAbsent(c.cluster(), policy)));
        } else {
          List<WeightedCluster> targets = VirtualHostPlanner.tcpTargets(mesh, vs, port);
          if (!targets.isEmpty()) {
            ports.put(port, protocol);
            tcp.put(port, targets);
            tcpIdle.put(port, VirtualHostPlanner.tcpIdleTimeout(mesh, vs, port));
            targets.forEach(c -> policies.putIfAbsent(c.cluster(), policy));
          }
        }
      });
    }
    List<RouteConfigPlan> configs = new ArrayList<>();
    hosts.forEach((port, vhs) -> configs.add(new RouteConfigPlan(new RouteConfigId(Direction.EGRESS, port),
        uniqueDomains(vhs, notes))));
    return new Egress(ports, configs, tcp, tcpIdle, policies);
  }

  /** Envoy rejects a domain listed by two virtual hosts; the first (by awsName) keeps it. */
  static List<VirtualHostPlan> uniqueDomains(List<VirtualHostPlan> vhs, List<String> notes) {
    Set<String> used = new HashSet<>();
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
        VirtualNode.Listener l = ClusterPlanner.listener(mesh, b);
        EndpointPlan ep = l == null ? new EndpointPlan(b, List.of())
            : ctx.memo(List.of("eds", b), () -> EndpointPlanner.plan(b, mesh.nodes().get(b.node()).node(), l, ctx));
        seen.put(b, ep);
        out.add(ep);
      }
    }
    return out;
  }
}
