package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.incremental.Dep;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.model.ResolvedService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
 * <p>What one backend contributes does not depend on the client, only on the virtual service and
 * the client policy; it is planned once per build as a {@link Backend} and shared by every client.
 * Why: a route change must re-plan every client of the service, so a client's own work has to stay
 * a cheap merge of shared parts.
 *
 * @param ports egress ports and their protocol
 * @param routeConfigs one per HTTP-family port
 * @param tcpTargets targets per tcp port
 * @param tcpIdleTimeouts idle timeout of each tcp port's tcp_proxy, in milliseconds (0 disables)
 * @param uses each backend cluster the routes and tcp chains use, in first-use order, with the
 *     client policy, cluster plan and load assignment of the backend that used it first
 */
record Egress(SortedMap<Long, PortProtocol> ports, List<RouteConfigPlan> routeConfigs,
    Map<Long, List<WeightedCluster>> tcpTargets, Map<Long, Long> tcpIdleTimeouts, Map<ClusterId, Use> uses) {

  /**
   * A backend cluster as one backend uses it: built once in the shared {@link Backend}, so a
   * client's merge is one map insertion per cluster. Why: three insertions per cluster into
   * separate maps were an eighth of re-planning the clients of a changed router.
   */
  record Use(ClusterId.Backend id, Tls.ClientPolicy policy, ClusterPlan cluster, EndpointPlan endpoints) {}

  /** One port of a backend: its virtual host (HTTP family) or its tcp targets, and the clusters used. */
  record Port(long port, PortProtocol protocol, VirtualHostPlan host, List<WeightedCluster> tcpTargets, long tcpIdleMs,
      List<Use> uses) {}

  /** What one backend virtual service contributes, for one client policy. */
  record Backend(List<Port> ports) {}

  /**
   * Memo key of a {@link Backend}; its value depends on nothing else (see {@link #backend(MeshGraph, BackendKey, PlanContext)}).
   * {@code source} is where the node's Envoy gets endpoints ({@link EndpointSource#envoy}).
   */
  record BackendKey(String mesh, String service, Tls.ClientPolicy policy, EndpointSource source) {}

  /** A backend's part, memoized under its key. */
  static Backend backend(MeshGraph mesh, BackendKey key, PlanContext ctx) {
    return ctx.memo(key, () -> backend(mesh, key.service(), key.policy(), key.source(), ctx));
  }

  /**
   * @param source where the node's Envoy gets endpoints (proxyless clients pass their mesh's Envoy
   *     source too, so the shared parts are the sidecars'; they plan their own clusters)
   */
  static Egress plan(MeshGraph mesh, ResolvedNode node, EndpointSource source, PlanContext ctx, List<String> notes) {
    SortedMap<Long, PortProtocol> ports = new TreeMap<>();
    Map<Long, List<VirtualHostPlan>> hosts = new TreeMap<>();
    Map<Long, List<WeightedCluster>> tcp = new TreeMap<>();
    Map<Long, Long> tcpIdle = new TreeMap<>();
    // Why presized: a client has up to 50 backends; growing these maps showed in profiles.
    int expected = node.backends().size() * 4 + 4;
    Map<ClusterId, Use> uses = new LinkedHashMap<>(expected);
    Tls.ClientPolicy defaults = node.node().spec().backendDefaults() == null ? null
        : node.node().spec().backendDefaults().clientPolicy();
    for (ResolvedNode.Backend b : node.backends()) {
      ResolvedService vs = mesh.services().get(b.service());
      if (vs == null) {
        notes.add("backend " + b.service() + " is not served: the virtual service is not active");
        continue;
      }
      Tls.ClientPolicy policy = b.clientPolicy() != null ? b.clientPolicy() : defaults;
      Backend backend = backend(mesh, new BackendKey(mesh.name(), vs.awsName(), policy, source), ctx);
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
        for (Use u : p.uses()) {
          uses.putIfAbsent(u.id(), u);
        }
      }
    }
    List<RouteConfigPlan> configs = new ArrayList<>();
    hosts.forEach((port, vhs) -> configs.add(new RouteConfigPlan(new RouteConfigId(Direction.EGRESS, port),
        uniqueDomains(vhs, notes))));
    return new Egress(ports, configs, tcp, tcpIdle, uses);
  }

  /**
   * One backend's part, read through the graph (memoized work records only what it reads). An
   * HTTP-family port gets the service's virtual host; a tcp port its targets (none: not served).
   */
  private static Backend backend(MeshGraph mesh, String service, Tls.ClientPolicy policy, EndpointSource source,
      PlanContext ctx) {
    ResolvedService vs = mesh.services().get(service);
    List<Port> out = new ArrayList<>();
    if (vs == null) {
      return new Backend(out);
    }
    Map<ClusterId, Use> byId = new HashMap<>();
    for (Map.Entry<Long, PortProtocol> e : ctx.servicePorts(mesh, vs).entrySet()) {
      long port = e.getKey();
      PortProtocol protocol = e.getValue();
      List<ClusterId.Backend> used = new ArrayList<>();
      VirtualHostPlan vh = null;
      List<WeightedCluster> targets = List.of();
      long idle = 0;
      if (protocol.isHttpFamily()) {
        vh = VirtualHostPlanner.egress(mesh, vs, port, ctx);
        // Mirrors' clusters too: Envoy rejects a route whose mirror cluster it does not have.
        vh.routes().forEach(r -> r.action().forEachUsedCluster(c -> {
          if (c instanceof ClusterId.Backend be && !used.contains(be)) {
            used.add(be);
          }
        }));
      } else {
        targets = VirtualHostPlanner.tcpTargets(mesh, vs, port);
        targets.forEach(c -> {
          if (c.cluster() instanceof ClusterId.Backend be && !used.contains(be)) {
            used.add(be);
          }
        });
        idle = VirtualHostPlanner.tcpIdleTimeout(mesh, vs, port);
      }
      List<Use> uses = new ArrayList<>(used.size());
      for (ClusterId.Backend c : used) {
        uses.add(byId.computeIfAbsent(c, x -> use(mesh, c, policy, source, ctx)));
      }
      out.add(new Port(port, protocol, vh, targets, idle, List.copyOf(uses)));
    }
    return new Backend(List.copyOf(out));
  }

  /**
   * A cluster as a backend uses it; a load assignment only for an EDS cluster (a cluster Envoy
   * resolves itself reads no EndpointSlice, so slice changes re-plan none of its clients).
   */
  private static Use use(MeshGraph mesh, ClusterId.Backend c, Tls.ClientPolicy policy, EndpointSource source,
      PlanContext ctx) {
    ClusterPlan cluster = ClusterPlanner.backend(mesh, c, policy, source, ctx);
    return new Use(c, policy, cluster, cluster.type() == ClusterPlan.Type.EDS ? EndpointPlanner.memoized(mesh, c, ctx) : null);
  }

  /**
   * {@code before} (a plan whose backends came from {@link #plan}) with the backends in {@code
   * changed} replaced by their new values, when each is a {@link BackendKey} whose new value has
   * the shape of the old one ({@link #substitutions}); null otherwise.
   */
  static ProxyPlan replan(NodeKey key, PlanContext ctx, ProxyPlan before, List<Dep> changed) {
    MeshGraph mesh = ctx.model().mesh(key.mesh());
    if (mesh == null) {
      return null;
    }
    Map<Object, Object> subst = new IdentityHashMap<>();
    for (Dep d : changed) {
      if (!(d instanceof Dep.Memo m) || !(m.key() instanceof BackendKey k) || !(ctx.replaced(k) instanceof Backend old)
          || !substitutions(old, backend(mesh, k, ctx), subst)) {
        return null;
      }
    }
    return subst.isEmpty() ? before : before.substitute(subst);
  }

  /**
   * Adds to {@code subst} what replaces what when backend {@code before} becomes {@code after}, and
   * returns true, when the two have the same shape: the same ports and protocols, tcp targets and
   * idle timeouts, virtual hosts with the same domains, and the same clusters (ids and client
   * policies) in the same order. Then the merge in {@link #plan} takes every decision (port
   * conflicts, first use of a cluster, duplicate domains) as it did for {@code before}, and a plan
   * built with {@code after} is the plan built with {@code before} with each of {@code before}'s
   * virtual hosts, cluster plans and load assignments replaced by its counterpart in {@code after}.
   * Returns false (and may have added pairs) otherwise. Only pairs of different instances are added.
   */
  static boolean substitutions(Backend before, Backend after, Map<Object, Object> subst) {
    if (before.ports().size() != after.ports().size()) {
      return false;
    }
    for (int i = 0; i < before.ports().size(); i++) {
      Port a = before.ports().get(i);
      Port b = after.ports().get(i);
      if (a.port() != b.port() || a.protocol() != b.protocol() || a.tcpIdleMs() != b.tcpIdleMs()
          || !a.tcpTargets().equals(b.tcpTargets()) || a.uses().size() != b.uses().size()
          || (a.host() == null) != (b.host() == null)) {
        return false;
      }
      if (a.host() != null && !pair(a.host(), b.host(), a.host().domains().equals(b.host().domains()), subst)) {
        return false;
      }
      for (int j = 0; j < a.uses().size(); j++) {
        Use x = a.uses().get(j);
        Use y = b.uses().get(j);
        if (!x.id().equals(y.id()) || !java.util.Objects.equals(x.policy(), y.policy())
            || (x.endpoints() == null) != (y.endpoints() == null)
            || !pair(x.cluster(), y.cluster(), true, subst)
            || (x.endpoints() != null && !pair(x.endpoints(), y.endpoints(), true, subst))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Records {@code from → to} unless they are one instance; false when not allowed or {@code from} already maps elsewhere. */
  private static boolean pair(Object from, Object to, boolean allowed, Map<Object, Object> subst) {
    if (from == to) {
      return true;
    }
    if (!allowed) {
      return false;
    }
    Object held = subst.putIfAbsent(from, to);
    return held == null || held == to;
  }

  /** Envoy rejects a domain listed by two virtual hosts; the first (by awsName) keeps it. */
  static List<VirtualHostPlan> uniqueDomains(List<VirtualHostPlan> vhs, List<String> notes) {
    int n = 0;
    for (VirtualHostPlan vh : vhs) {
      n += vh.domains().size();
    }
    // Fast path: distinct hash codes mean distinct domains. Why: every client of a changed service
    // is re-planned, and a set of a hundred domains per client was a tenth of that work.
    int[] hashes = new int[n];
    int k = 0;
    for (VirtualHostPlan vh : vhs) {
      for (String d : vh.domains()) {
        hashes[k++] = d.hashCode();
      }
    }
    java.util.Arrays.sort(hashes);
    boolean maybe = false;
    for (int i = 1; i < n && !maybe; i++) {
      maybe = hashes[i] == hashes[i - 1];
    }
    if (!maybe) {
      return vhs;
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
