package io.appmeshxds.tracing.plan;

import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.config.ControlPlaneConfig.Provider;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.ResolvedGateway;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.Defaults;
import io.appmeshxds.translator.plan.ExtensionPlan;
import io.appmeshxds.translator.plan.FilterChainPlan;
import io.appmeshxds.translator.plan.ListenerPlan;
import io.appmeshxds.translator.plan.NetworkFilterPlan;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.PlanDecorator;
import io.appmeshxds.translator.plan.ProxyPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds a {@link TracingPlan} to every HTTP connection manager of Envoy sidecars and gateways (never
 * to proxyless gRPC clients), with the collector cluster its provider needs. Settings come from the
 * config file's {@code tracing} section, overridden per VirtualNode/VirtualGateway by annotations
 * ({@link TracingOverrides}). Tracing lives in the listeners, not the bootstrap, so a change reaches
 * running proxies over LDS.
 *
 * <p>Pure: equal plans and settings give equal results.
 */
public final class TracingDecorator implements PlanDecorator {
  /** Cluster of the OpenTelemetry collector (OTLP/gRPC). */
  public static final ClusterId OTEL_COLLECTOR = new ClusterId.Named("tracing_opentelemetry_collector");
  /** Cluster of the Zipkin collector. */
  public static final ClusterId ZIPKIN_COLLECTOR = new ClusterId.Named("tracing_zipkin_collector");

  private final ControlPlaneConfig.Tracing config;
  private final HostPort xrayDaemon;
  private final HostPort otelCollector;
  private final HostPort zipkinCollector;

  /** @throws IllegalArgumentException when an address in {@code config} is not {@code host:port} */
  public TracingDecorator(ControlPlaneConfig.Tracing config) {
    this.config = config;
    this.xrayDaemon = HostPort.parse(config.xray().daemonAddress());
    this.otelCollector = HostPort.parse(config.opentelemetry().collector());
    this.zipkinCollector = HostPort.parse(config.zipkin().collector());
  }

  @Override
  public ProxyPlan decorate(ProxyPlan plan, PlanContext ctx) {
    NodeKey key = plan.key();
    if (key.kind() == NodeKey.Kind.PROXYLESS || key.dialect().proxyless()) {
      return plan; // gRPC clients have no HTTP connection manager to trace in.
    }
    MeshObject owner = owner(key, ctx);
    TracingOverrides.Effective e = TracingOverrides.resolve(
        owner == null ? Map.of() : TracingOverrides.annotationsOf(owner), config.provider(), config.samplingPercent());
    List<String> notes = new ArrayList<>(plan.notes());
    e.ignored().forEach(i -> notes.add("tracing: ignored annotation " + i));
    if (e.provider() == Provider.none) {
      return notes.size() == plan.notes().size() ? plan
          : new ProxyPlan(key, plan.listeners(), plan.routeConfigs(), plan.clusters(), plan.endpoints(), notes);
    }
    TracingPlan tracing = new TracingPlan(e.samplingPercent(), key.kind() == NodeKey.Kind.GATEWAY, provider(e.provider(), key));
    boolean[] traced = {false};
    List<ListenerPlan> listeners = plan.listeners().stream().map(l -> withTracing(l, tracing, traced)).toList();
    if (!traced[0]) {
      return notes.size() == plan.notes().size() ? plan
          : new ProxyPlan(key, plan.listeners(), plan.routeConfigs(), plan.clusters(), plan.endpoints(), notes);
    }
    List<ClusterPlan> clusters = new ArrayList<>(plan.clusters());
    ClusterPlan collector = collector(e.provider(), ctx);
    if (collector != null && clusters.stream().noneMatch(c -> c.id().equals(collector.id()))) {
      clusters.add(collector);
      clusters.sort(Comparator.comparing(ClusterPlan::id));
    }
    return new ProxyPlan(key, listeners, plan.routeConfigs(), clusters, plan.endpoints(), notes);
  }

  /** The VirtualNode or VirtualGateway behind a key, or null. */
  private static MeshObject owner(NodeKey key, PlanContext ctx) {
    MeshGraph g = ctx.model().mesh(key.mesh());
    if (g == null) {
      return null;
    }
    if (key.kind() == NodeKey.Kind.GATEWAY) {
      ResolvedGateway gw = g.gateways().get(key.name());
      return gw == null ? null : gw.gateway();
    }
    ResolvedNode n = g.nodes().get(key.name());
    return n == null ? null : n.node();
  }

  private TracingPlan.Provider provider(Provider p, NodeKey key) {
    return switch (p) {
      case xray -> new TracingPlan.XRay(xrayDaemon.host(), xrayDaemon.port(), expand(config.xray().segmentName(), key),
          key.mesh(), key.name());
      case opentelemetry -> {
        TreeMap<String, String> attrs = new TreeMap<>();
        attrs.put("aws.appmesh.mesh", key.mesh());
        attrs.put(key.kind() == NodeKey.Kind.GATEWAY ? "aws.appmesh.virtual_gateway" : "aws.appmesh.virtual_node", key.name());
        yield new TracingPlan.OpenTelemetry(OTEL_COLLECTOR, expand(config.opentelemetry().serviceName(), key), attrs);
      }
      case zipkin -> new TracingPlan.Zipkin(ZIPKIN_COLLECTOR, zipkinCollector.host());
      case none -> throw new IllegalArgumentException("no provider");
    };
  }

  /** The collector cluster of a provider (shared by every proxy of the build), or null. */
  private ClusterPlan collector(Provider p, PlanContext ctx) {
    return switch (p) {
      case opentelemetry -> ctx.memo(List.of("tracing-collector", OTEL_COLLECTOR), () -> new ClusterPlan(OTEL_COLLECTOR, ClusterPlan.Type.LOGICAL_DNS,
          PortProtocol.grpc, Defaults.CONNECT_TIMEOUT_MS, otelCollector.host(), otelCollector.port(), null, null, null, null));
      case zipkin -> ctx.memo(List.of("tracing-collector", ZIPKIN_COLLECTOR), () -> new ClusterPlan(ZIPKIN_COLLECTOR, ClusterPlan.Type.LOGICAL_DNS,
          PortProtocol.http, Defaults.CONNECT_TIMEOUT_MS, zipkinCollector.host(), zipkinCollector.port(), null, null, null,
          null));
      case xray, none -> null;
    };
  }

  private static ListenerPlan withTracing(ListenerPlan l, TracingPlan tracing, boolean[] traced) {
    if (!(l instanceof ListenerPlan.Socket s)) {
      return l;
    }
    List<FilterChainPlan> chains = new ArrayList<>();
    for (FilterChainPlan c : s.chains()) {
      if (c.filter() instanceof NetworkFilterPlan.Http h && h.extensions().stream().noneMatch(x -> x instanceof TracingPlan)) {
        List<ExtensionPlan> ext = new ArrayList<>(h.extensions());
        ext.add(tracing);
        chains.add(new FilterChainPlan(c.name(), c.destinationPort(), c.serverNames(), c.transport(), c.tls(),
            h.withExtensions(ext)));
        traced[0] = true;
      } else {
        chains.add(c);
      }
    }
    return new ListenerPlan.Socket(s.direction(), s.port(), s.originalDst(), s.tlsInspector(), chains);
  }

  /** {@code {mesh}} and {@code {virtualNode}} in a name pattern. */
  static String expand(String pattern, NodeKey key) {
    return pattern.replace("{mesh}", key.mesh()).replace("{virtualNode}", key.name());
  }

  /** {@code host:port} or {@code [v6]:port}; the host without brackets. */
  record HostPort(String host, long port) {
    static HostPort parse(String s) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("not host:port: " + s);
      }
      String host = s.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      long port;
      try {
        port = Long.parseLong(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not host:port: " + s, e);
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + s);
      }
      return new HostPort(host, port);
    }
  }
}
