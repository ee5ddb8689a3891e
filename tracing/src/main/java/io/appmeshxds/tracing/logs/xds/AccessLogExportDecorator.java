package io.appmeshxds.tracing.logs.xds;

import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.translator.api.PortProtocol;
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
import io.appmeshxds.translator.plan.TlsPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Adds the gRPC access logger to every HTTP connection manager and TCP proxy of sidecars and
 * gateways, and the exporter's cluster. Proxyless gRPC clients have no access log and are left
 * alone. App Mesh's file access log (from the objects) stays as it is: this is a second sink.
 *
 * <p>Pure: equal plans in, equal plans out.
 */
public final class AccessLogExportDecorator implements PlanDecorator {
  /** Name of the exporter's cluster. */
  public static final String CLUSTER = "appmesh_xds_access_logs";

  private final ClusterPlan cluster;

  /**
   * @param host exporter host name or IP
   * @param port exporter port
   */
  public AccessLogExportDecorator(String host, int port) {
    this(host, port, null);
  }

  /**
   * @param tls how proxies reach an exporter port that serves TLS (verify it by CA and SAN, and
   *     present their own certificate for its proxy authorization), or null for plaintext
   */
  public AccessLogExportDecorator(String host, int port, ControlPlaneConfig.ExporterTls tls) {
    // Why LOGICAL_DNS: the exporter is a Kubernetes Service name; Envoy resolves it and keeps one
    // connection, which is what a single long-lived gRPC stream per worker wants.
    TlsPlan.Upstream upstream = tls == null ? null : new TlsPlan.Upstream(tls.sni(),
        new TlsPlan.Validation(tls.caFile(), null, List.of(tls.sni())),
        tls.certFile().isEmpty() ? null : new TlsPlan.Certificate(tls.certFile(), tls.keyFile(), null, null));
    this.cluster = new ClusterPlan(new ClusterId.Named(CLUSTER), ClusterPlan.Type.LOGICAL_DNS, PortProtocol.grpc,
        Defaults.CONNECT_TIMEOUT_MS, host, port, null, null, ClusterPlan.CircuitBreakers.unlimited(), upstream);
  }

  /** From {@code logging.cloudWatch.exporter} ({@code host:port}, already checked by the loader). */
  public static AccessLogExportDecorator of(ControlPlaneConfig.CloudWatch cw) {
    String hp = cw.exporter();
    int colon = hp.lastIndexOf(':');
    String host = hp.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new AccessLogExportDecorator(host, Integer.parseInt(hp.substring(colon + 1)), cw.exporterTls());
  }

  @Override
  public ProxyPlan decorate(ProxyPlan plan, PlanContext ctx) {
    if (plan.key().kind() == NodeKey.Kind.PROXYLESS) {
      return plan;
    }
    AccessLogExportPlan e = new AccessLogExportPlan(plan.key().name(), CLUSTER);
    List<ListenerPlan> listeners = new ArrayList<>();
    boolean used = false;
    for (ListenerPlan l : plan.listeners()) {
      if (!(l instanceof ListenerPlan.Socket s)) {
        listeners.add(l);
        continue;
      }
      List<FilterChainPlan> chains = new ArrayList<>();
      for (FilterChainPlan c : s.chains()) {
        chains.add(new FilterChainPlan(c.name(), c.destinationPort(), c.serverNames(), c.transport(), c.tls(),
            withLogger(c.filter(), e)));
      }
      used |= !chains.isEmpty();
      listeners.add(new ListenerPlan.Socket(s.direction(), s.port(), s.originalDst(), s.tlsInspector(), chains));
    }
    List<ClusterPlan> clusters = new ArrayList<>(plan.clusters());
    if (used && clusters.stream().noneMatch(c -> c.id().equals(cluster.id()))) {
      clusters.add(cluster);
      clusters.sort(Comparator.comparing(ClusterPlan::id));
    }
    return new ProxyPlan(plan.key(), listeners, plan.routeConfigs(), clusters, plan.endpoints(), plan.notes());
  }

  private static NetworkFilterPlan withLogger(NetworkFilterPlan f, AccessLogExportPlan e) {
    if (f instanceof NetworkFilterPlan.Http h) {
      return h.extensions().contains(e) ? h : h.withExtensions(plus(h.extensions(), e));
    }
    NetworkFilterPlan.Tcp t = (NetworkFilterPlan.Tcp) f;
    return t.extensions().contains(e) ? t : t.withExtensions(plus(t.extensions(), e));
  }

  private static List<ExtensionPlan> plus(List<ExtensionPlan> l, ExtensionPlan e) {
    List<ExtensionPlan> out = new ArrayList<>(l);
    out.add(e);
    return out;
  }
}
