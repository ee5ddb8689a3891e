package io.appmeshxds.translator.xds;

import io.appmeshxds.translator.plan.AccessLogPlan;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.Direction;
import io.appmeshxds.translator.plan.ExtensionPlan;
import io.appmeshxds.translator.plan.FilterChainPlan;
import io.appmeshxds.translator.plan.ListenerPlan;
import io.appmeshxds.translator.plan.NetworkFilterPlan;
import io.appmeshxds.translator.plan.TlsPlan;
import io.appmeshxds.translator.plan.WeightedCluster;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.List;

/** Listeners, filter chains, HTTP connection managers and TCP proxies. */
final class ListenerFactory {
  static final String HCM = "envoy.filters.network.http_connection_manager";
  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
  static final String ROUTER = "envoy.filters.http.router";

  private final List<ExtensionFactory> extensions;

  ListenerFactory(List<ExtensionFactory> extensions) {
    this.extensions = extensions;
  }

  Listener build(ListenerPlan plan, Dialect dialect) {
    if (plan instanceof ListenerPlan.Api api) {
      HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
          .setStatPrefix(Names.listener(api))
          .setRds(Rds.newBuilder().setConfigSource(Protos.ads()).setRouteConfigName(Names.routeConfig(api.routeConfig())))
          .addHttpFilters(router());
      if (api.maxStreamDurationMs() != null) {
        hcm.getCommonHttpProtocolOptionsBuilder().setMaxStreamDuration(Protos.millis(api.maxStreamDurationMs()));
      }
      return Listener.newBuilder()
          .setName(Names.listener(api))
          .setApiListener(ApiListener.newBuilder().setApiListener(Protos.pack(hcm.build())))
          .build();
    }
    ListenerPlan.Socket s = (ListenerPlan.Socket) plan;
    Listener.Builder l = Listener.newBuilder()
        .setName(Names.listener(s))
        .setAddress(Address.newBuilder().setSocketAddress(
            SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue((int) s.port())))
        .setTrafficDirection(s.direction() == Direction.INGRESS ? TrafficDirection.INBOUND : TrafficDirection.OUTBOUND);
    if (s.originalDst()) {
      l.addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.original_dst")
          .setTypedConfig(Protos.pack(OriginalDst.getDefaultInstance())));
    }
    if (s.tlsInspector()) {
      l.addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.tls_inspector")
          .setTypedConfig(Protos.pack(TlsInspector.getDefaultInstance())));
    }
    for (FilterChainPlan c : s.chains()) {
      l.addFilterChains(chain(c));
    }
    return l.build();
  }

  private FilterChain chain(FilterChainPlan c) {
    FilterChain.Builder b = FilterChain.newBuilder().setName(c.name());
    FilterChainMatch.Builder m = FilterChainMatch.newBuilder();
    if (c.destinationPort() != null) {
      m.setDestinationPort(Protos.u32(c.destinationPort().intValue()));
    }
    m.addAllServerNames(c.serverNames());
    if (c.transport() == FilterChainPlan.Transport.TLS) {
      m.setTransportProtocol("tls");
    } else if (c.transport() == FilterChainPlan.Transport.RAW) {
      m.setTransportProtocol("raw_buffer");
    }
    FilterChainMatch match = m.build();
    if (!match.equals(FilterChainMatch.getDefaultInstance())) {
      b.setFilterChainMatch(match);
    }
    if (c.tls() != null) {
      b.setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
          .setTypedConfig(Protos.pack(downstreamTls(c.tls()))));
    }
    if (c.filter() instanceof NetworkFilterPlan.Http h) {
      b.addFilters(Filter.newBuilder().setName(HCM).setTypedConfig(Protos.pack(hcm(h))));
    } else {
      b.addFilters(Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Protos.pack(tcp((NetworkFilterPlan.Tcp) c.filter()))));
    }
    return b.build();
  }

  private HttpConnectionManager hcm(NetworkFilterPlan.Http h) {
    HttpConnectionManager.Builder b = HttpConnectionManager.newBuilder()
        .setStatPrefix(h.statPrefix())
        .setCodecType(HttpConnectionManager.CodecType.AUTO)
        .setRds(Rds.newBuilder().setConfigSource(Protos.ads()).setRouteConfigName(Names.routeConfig(h.routeConfig())))
        .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
        // App Mesh normalized paths for prefix/path matching and left escaped slashes alone.
        .setNormalizePath(BoolValue.of(true))
        .setMergeSlashes(true)
        .setPathWithEscapedSlashesAction(HttpConnectionManager.PathWithEscapedSlashesAction.KEEP_UNCHANGED);
    if (h.accessLog() != null) {
      b.addAccessLog(accessLog(h.accessLog()));
    }
    for (ExtensionPlan e : h.extensions()) {
      factoryFor(e).applyHttp(e, b, Dialect.ENVOY);
    }
    b.addHttpFilters(router());
    return b.build();
  }

  private TcpProxy tcp(NetworkFilterPlan.Tcp t) {
    TcpProxy.Builder b = TcpProxy.newBuilder().setStatPrefix(t.statPrefix());
    if (t.clusters().size() == 1) {
      b.setCluster(Names.cluster(t.clusters().get(0).cluster()));
    } else {
      TcpProxy.WeightedCluster.Builder w = TcpProxy.WeightedCluster.newBuilder();
      for (WeightedCluster c : t.clusters()) {
        w.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
            .setName(Names.cluster(c.cluster())).setWeight((int) c.weight()));
      }
      b.setWeightedClusters(w);
    }
    if (t.idleTimeoutMs() != null) {
      b.setIdleTimeout(Protos.millis(t.idleTimeoutMs()));
    }
    if (t.accessLog() != null) {
      b.addAccessLog(accessLog(t.accessLog()));
    }
    for (ExtensionPlan e : t.extensions()) {
      factoryFor(e).applyTcp(e, b);
    }
    return b.build();
  }

  private ExtensionFactory factoryFor(ExtensionPlan e) {
    for (ExtensionFactory f : extensions) {
      if (f.handles(e)) {
        return f;
      }
    }
    throw new IllegalStateException("no factory registered for " + e.getClass().getName());
  }

  static HttpFilter router() {
    return HttpFilter.newBuilder().setName(ROUTER).setTypedConfig(Protos.pack(Router.getDefaultInstance())).build();
  }

  /** A file access log: text format, JSON format, or Envoy's default. */
  static AccessLog accessLog(AccessLogPlan p) {
    FileAccessLog.Builder f = FileAccessLog.newBuilder().setPath(p.path());
    if (p.text() != null) {
      String text = p.text().endsWith("\n") ? p.text() : p.text() + "\n";
      f.setLogFormat(SubstitutionFormatString.newBuilder().setTextFormatSource(DataSource.newBuilder().setInlineString(text)));
    } else if (!p.json().isEmpty()) {
      Struct.Builder s = Struct.newBuilder();
      p.json().forEach(j -> s.putFields(j.key(), Value.newBuilder().setStringValue(j.value()).build()));
      f.setLogFormat(SubstitutionFormatString.newBuilder().setJsonFormat(s));
    }
    return AccessLog.newBuilder().setName("envoy.access_loggers.file").setTypedConfig(Protos.pack(f.build())).build();
  }

  static DownstreamTlsContext downstreamTls(TlsPlan.Downstream t) {
    DownstreamTlsContext.Builder b = DownstreamTlsContext.newBuilder();
    TlsFactory.certificate(t.certificate(), b.getCommonTlsContextBuilder());
    if (t.validation() != null) {
      TlsFactory.validation(t.validation(), b.getCommonTlsContextBuilder());
      b.setRequireClientCertificate(BoolValue.of(true));
    }
    return b.build();
  }
}
