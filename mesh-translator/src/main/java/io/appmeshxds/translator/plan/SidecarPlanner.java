package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.Logging;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.incremental.Dep;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.model.ResolvedService;
import io.appmeshxds.translator.api.Mesh;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A VirtualNode's sidecar, shaped as App Mesh's was: {@code lds_ingress_0.0.0.0_15000} with one
 * chain per application port in front of {@code cds_ingress_…} local clusters, and
 * {@code lds_egress_0.0.0.0_15001} with one chain per backend port ({@code rds_egress_http_<port>}
 * for HTTP-family backends, tcp_proxy for tcp), the {@code *.amazonaws.com} pass-through, and the
 * ALLOW_ALL catch-all (under ALLOW_ALL every egress route configuration also ends with the
 * {@link #allowAllHost} virtual host).
 */
public final class SidecarPlanner implements ProxyPlanner {
  private final EndpointOptions endpoints;

  /** App Mesh's endpoints: Envoy resolves DNS hostnames itself. */
  public SidecarPlanner() {
    this(EndpointOptions.appMesh());
  }

  public SidecarPlanner(EndpointOptions endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public NodeKey.Kind kind() {
    return NodeKey.Kind.SIDECAR;
  }

  @Override
  public List<NodeKey> keys(MeshModel model) {
    List<NodeKey> out = new ArrayList<>();
    model.meshes().values().forEach(m -> m.nodes().keySet().forEach(n -> out.add(NodeKey.sidecar(m.name(), n))));
    return out;
  }

  @Override
  public ProxyPlan plan(NodeKey key, PlanContext ctx) {
    MeshGraph mesh = ctx.model().mesh(key.mesh());
    ResolvedNode node = mesh == null ? null : mesh.nodes().get(key.name());
    if (node == null) {
      return null;
    }
    List<String> notes = new ArrayList<>();
    List<ListenerPlan> listeners = new ArrayList<>();
    List<RouteConfigPlan> routes = new ArrayList<>();
    Map<ClusterId, ClusterPlan> clusters = new TreeMap<>();
    AccessLogPlan log = accessLog(node.node().spec().logging());
    ingress(mesh, node, log, listeners, routes, clusters, ctx, notes);
    Egress egress = Egress.plan(mesh, node, EndpointSource.envoy(endpoints, mesh.name()), ctx, notes);
    listeners.add(egressListener(mesh, egress, log));
    if (mesh.egress() == Mesh.EgressFilterType.ALLOW_ALL) {
      VirtualHostPlan allowAll = allowAllHost(mesh.name(), ctx);
      for (RouteConfigPlan rc : egress.routeConfigs()) {
        List<VirtualHostPlan> vhs = new ArrayList<>(rc.virtualHosts().size() + 1);
        vhs.addAll(rc.virtualHosts());
        vhs.add(allowAll);
        routes.add(new RouteConfigPlan(rc.id(), vhs));
      }
    } else {
      routes.addAll(egress.routeConfigs());
    }
    egress.uses().forEach((id, u) -> clusters.put(id, u.cluster()));
    clusters.put(new ClusterId.AmazonAws(mesh.name()), ClusterPlanner.passthrough(new ClusterId.AmazonAws(mesh.name())));
    if (mesh.egress() == Mesh.EgressFilterType.ALLOW_ALL) {
      clusters.put(new ClusterId.AllowAll(mesh.name()), ClusterPlanner.passthrough(new ClusterId.AllowAll(mesh.name())));
    }
    List<EndpointPlan> endpoints = new ArrayList<>();
    for (ClusterId id : clusters.keySet()) {
      Egress.Use u = egress.uses().get(id);
      if (u != null && u.endpoints() != null) {
        endpoints.add(u.endpoints());
      }
    }
    return new ProxyPlan(key, listeners, routes, List.copyOf(clusters.values()), endpoints, notes);
  }

  /** Memo key of a mesh's ALLOW_ALL virtual host. */
  private record AllowAllKey(String mesh) {}

  /**
   * The virtual host that ends every egress HTTP route configuration of an ALLOW_ALL mesh, as App
   * Mesh's did: {@code mesh_allow_all}, domains {@code *}, one unnamed route {@code prefix /} to
   * {@code cds_egress_<mesh>_mesh-allow-all} (the original destination), with no timeout and no
   * retry policy. Without it, HTTP to a host outside the mesh on a port a backend uses (the port's
   * chain is the HTTP connection manager) matched no virtual host and got 404. One instance per
   * mesh and build, so it is translated once.
   *
   * <p>Proxyless gRPC clients share the route configurations but not this host ({@link
   * ProxylessPlanner} does not add it): gRPC cannot use an ORIGINAL_DST cluster.
   */
  static VirtualHostPlan allowAllHost(String mesh, PlanContext ctx) {
    return ctx.memo(new AllowAllKey(mesh), () -> new VirtualHostPlan("mesh_allow_all", List.of("*"), List.of(
        new RoutePlan("", RoutePlan.Match.prefix("/"), new RoutePlan.Action(
            List.of(new WeightedCluster(new ClusterId.AllowAll(mesh), 100)), false, null, null, null, null)))));
  }

  /** Only backends changed: {@code before} with their new parts ({@link Egress#replan}), or null. */
  @Override
  public ProxyPlan replan(NodeKey key, PlanContext ctx, ProxyPlan before, List<Dep> changed) {
    return Egress.replan(key, ctx, before, changed);
  }

  private static void ingress(MeshGraph mesh, ResolvedNode node, AccessLogPlan log, List<ListenerPlan> listeners,
      List<RouteConfigPlan> routes, Map<ClusterId, ClusterPlan> clusters, PlanContext ctx, List<String> notes) {
    List<VirtualNode.Listener> ls = new ArrayList<>(node.node().spec().listeners());
    if (ls.isEmpty()) {
      return;
    }
    ls.sort(java.util.Comparator.comparingLong(l -> l.portMapping().port()));
    List<FilterChainPlan> chains = new ArrayList<>();
    boolean inspector = false;
    for (VirtualNode.Listener l : ls) {
      long port = l.portMapping().port();
      PortProtocol p = l.portMapping().protocol();
      String awaited = l.tls() == null ? null : AcmSecrets.awaitedCertificate(l.tls().certificate(), l.tls().mode(), ctx);
      if (awaited != null) {
        notes.add(AcmSecrets.awaitingNote("listener", port, awaited));
        continue;
      }
      ClusterPlan local = ClusterPlanner.local(mesh.name(), node.awsName(), l);
      clusters.put(local.id(), local);
      NetworkFilterPlan filter;
      String statPrefix = Defaults.ingressStatPrefix(ls.size(), p.name(), port);
      if (p.isHttpFamily()) {
        RouteConfigId rc = new RouteConfigId(Direction.INGRESS, port);
        filter = new NetworkFilterPlan.Http(statPrefix, rc, log, List.of());
        var t = l.timeout() == null ? null : p == PortProtocol.http ? l.timeout().http()
            : p == PortProtocol.http2 ? l.timeout().http2() : l.timeout().grpc();
        routes.add(new RouteConfigPlan(rc, List.of(new VirtualHostPlan(node.awsName(), List.of("*"), List.of(
            new RoutePlan("local", RoutePlan.Match.prefix("/"), new RoutePlan.Action(
                List.of(new WeightedCluster(local.id(), 100)), false, Routes.requestTimeout(t), Routes.idleTimeout(t),
                null, null)))))));
      } else {
        long idle = l.timeout() != null && l.timeout().tcp() != null
            ? Routes.millis(l.timeout().tcp().idle(), Defaults.IDLE_TIMEOUT_MS) : Defaults.IDLE_TIMEOUT_MS;
        filter = new NetworkFilterPlan.Tcp(statPrefix, List.of(new WeightedCluster(local.id(), 100)), idle, log, List.of());
      }
      String name = "ingress_" + p + "_" + port;
      VirtualNode.ListenerTls tls = l.tls();
      if (tls == null || tls.mode() == Tls.Mode.DISABLED) {
        chains.add(new FilterChainPlan(name, port, List.of(), FilterChainPlan.Transport.ANY, null, filter));
      } else if (tls.mode() == Tls.Mode.STRICT) {
        chains.add(new FilterChainPlan(name, port, List.of(), FilterChainPlan.Transport.ANY, downstream(tls), filter));
      } else {
        inspector = true;
        chains.add(new FilterChainPlan(name + "_tls", port, List.of(), FilterChainPlan.Transport.TLS, downstream(tls), filter));
        chains.add(new FilterChainPlan(name + "_plaintext", port, List.of(), FilterChainPlan.Transport.RAW, null, filter));
      }
    }
    if (!chains.isEmpty()) {
      // Why only with chains: every port may wait for its ACM certificate, and Envoy rejects a
      // listener without filter chains.
      listeners.add(new ListenerPlan.Socket(Direction.INGRESS, Defaults.INGRESS_PORT, true, inspector, chains));
    }
  }

  static TlsPlan.Downstream downstream(VirtualNode.ListenerTls tls) {
    var v = tls.validation();
    return TlsPlan.Downstream.of(tls.certificate(), v != null, v == null ? null : v.trust().file(),
        v == null ? null : v.trust().sds(), v == null ? null : v.subjectAlternativeNames());
  }

  private static ListenerPlan egressListener(MeshGraph mesh, Egress egress, AccessLogPlan log) {
    List<FilterChainPlan> chains = new ArrayList<>();
    egress.ports().forEach((port, protocol) -> {
      if (protocol.isHttpFamily()) {
        chains.add(new FilterChainPlan("egress_http_" + port, port, List.of(), FilterChainPlan.Transport.ANY, null,
            new NetworkFilterPlan.Http("egress", new RouteConfigId(Direction.EGRESS, port), log, List.of())));
      } else {
        chains.add(new FilterChainPlan("egress_tcp_" + port, port, List.of(), FilterChainPlan.Transport.ANY, null,
            new NetworkFilterPlan.Tcp("egress", egress.tcpTargets().get(port), egress.tcpIdleTimeouts().get(port), log,
                List.of())));
      }
    });
    // Every egress tcp_proxy counts under "egress", as App Mesh's did (its config dump: the
    // *.amazonaws.com, port-443 and catch-all chains); the cluster stats tell the targets apart.
    chains.add(new FilterChainPlan("amazonaws", 443L, List.of("*.amazonaws.com"), FilterChainPlan.Transport.ANY, null,
        new NetworkFilterPlan.Tcp("egress", List.of(new WeightedCluster(new ClusterId.AmazonAws(mesh.name()), 100)),
            null, null, List.of())));
    if (mesh.egress() == Mesh.EgressFilterType.ALLOW_ALL) {
      NetworkFilterPlan allowAll = new NetworkFilterPlan.Tcp("egress",
          List.of(new WeightedCluster(new ClusterId.AllowAll(mesh.name()), 100)), null, null, List.of());
      // Why: Envoy picks filter chains by destination port before server name and never falls back
      // to a less specific chain, so with only the *.amazonaws.com chain on 443 every other TLS
      // host on 443 would match no chain and be dropped (App Mesh roadmap #79). A plain 443 chain
      // catches them, unless a backend already owns port 443 (the documented ALLOW_ALL caveat).
      if (!egress.ports().containsKey(443L)) {
        chains.add(new FilterChainPlan("allow_all_443", 443L, List.of(), FilterChainPlan.Transport.ANY, null, allowAll));
      }
      chains.add(new FilterChainPlan("allow_all", null, List.of(), FilterChainPlan.Transport.ANY, null, allowAll));
    }
    return new ListenerPlan.Socket(Direction.EGRESS, Defaults.EGRESS_PORT, true, true, chains);
  }

  /** {@code logging.accessLog.file} as a plan, or null. */
  public static AccessLogPlan accessLog(Logging logging) {
    if (logging == null || logging.accessLog() == null || logging.accessLog().file() == null) {
      return null;
    }
    Logging.FileAccessLog f = logging.accessLog().file();
    List<AccessLogPlan.JsonField> json = new ArrayList<>();
    String text = null;
    if (f.format() != null) {
      text = f.format().text();
      f.format().json().forEach(j -> json.add(new AccessLogPlan.JsonField(j.key(), j.value())));
    }
    return new AccessLogPlan(f.path(), text, json);
  }

  /** Unused by the sidecar itself; kept for symmetry with the backend lookup of other planners. */
  static ResolvedService service(MeshGraph mesh, String name) {
    return mesh.services().get(name);
  }
}
