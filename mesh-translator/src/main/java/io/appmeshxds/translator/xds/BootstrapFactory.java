package io.appmeshxds.translator.xds;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.appmeshxds.translator.re2.Re2Limit;
import io.envoyproxy.envoy.config.bootstrap.v3.LayeredRuntime;
import io.envoyproxy.envoy.config.bootstrap.v3.RuntimeLayer;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import java.util.LinkedHashMap;
import java.util.Map;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.Pipe;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.metrics.v3.StatsConfig;
import io.envoyproxy.envoy.config.metrics.v3.TagSpecifier;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.appmeshxds.translator.plan.NodeKey;

/**
 * Envoy bootstraps for sidecars and gateways: ADS over one gRPC cluster pointing at the control
 * plane, the admin interface on 9901 (where Prometheus scrapes {@code /stats/prometheus}), and
 * Envoy's default stats tags kept on, which give Flagger's queries {@code envoy_response_code} and
 * the {@code _bucket} histograms, plus App Mesh's fixed {@code appmesh.mesh} and
 * {@code appmesh.virtual_node}/{@code appmesh.virtual_gateway} tags. Tracing and access logs are not
 * here: they are pushed over xDS, so they change without a restart.
 *
 * <p>As App Mesh's Envoy agent wrote it ({@code agent/envoy_bootstrap/envoy_bootstrap.go}):
 *
 * <ul>
 *   <li>a layered runtime, a static layer {@code static_layer_0} raising RE2's program size limit to
 *       1000 ({@link Re2Limit}; Envoy's default is 100) and an empty admin layer. The agent's other
 *       static keys are left out: {@code envoy.features.enable_all_deprecated_features} (we push no
 *       deprecated field; our resources pass the current API's rules) and four reloadable features
 *       ({@code http_set_tracing_decision_in_request_id}, {@code no_extension_lookup_by_name},
 *       {@code tcp_pool_idle_timeout}, {@code sanitize_original_path}) whose values were Envoy's
 *       defaults or which do not touch what we push (every extension we send has a typed config);
 *   <li>LDS and CDS from ADS with {@code initial_fetch_timeout: 0s}: Envoy waits for its
 *       configuration instead of turning ready with none after 15 s (not on {@code ads_config},
 *       which has no such field);
 *   <li>the regex stats tags {@code appmesh.listener_protocol}, {@code appmesh.listener_port} and
 *       {@code envoy_rds_route_config}, always on, which take the protocol, port and route
 *       configuration out of the {@code ingress.<protocol>.<port>} stat prefix of an ingress
 *       listener, so dashboards keep {@code envoy_http_conn_manager_prefix="ingress"}. Envoy applies
 *       custom tag regexes with {@code std::regex} (ECMAScript) and {@code regex_search}: the first
 *       group is removed from the name, the second is the tag's value.
 * </ul>
 */
public final class BootstrapFactory {
  private BootstrapFactory() {}

  /** Name of the control-plane cluster in the bootstrap. */
  public static final String XDS_CLUSTER = "appmesh_xds";

  /** Name of the runtime's static layer (App Mesh's agent's). */
  public static final String STATIC_LAYER = "static_layer_0";

  /** Name of the runtime's admin layer (App Mesh's agent's). */
  public static final String ADMIN_LAYER = "admin_layer";

  /**
   * App Mesh's regex stats tags for the {@code ingress.<protocol>.<port>} HCM stat prefix, name to
   * regex, in the agent's order (exact strings of {@code envoy_bootstrap.go}).
   */
  public static final Map<String, String> INGRESS_STATS_TAGS = stringMap(
      "appmesh.listener_protocol", ".*?\\.ingress\\.((\\w+?)\\.)[0-9]+?\\.(.+?)$",
      "appmesh.listener_port", ".*?\\.ingress\\.\\w+?\\.(([0-9]+?)\\.)(.+?)$",
      "envoy_rds_route_config", ".*?\\.ingress\\.\\w+?\\.[0-9]+?\\.rds\\.((.*?)\\.)(.+?)$");

  private static Map<String, String> stringMap(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Name of the static cluster that points at Envoy's own admin interface (behind the stats listener). */
  public static final String ADMIN_CLUSTER = "envoy_admin";

  /** Name of the static stats listener. */
  public static final String STATS_LISTENER = "envoy_stats";

  /** The admin paths the stats listener forwards, and nothing else. */
  public static final java.util.List<String> STATS_PATHS = java.util.List.of("/stats/prometheus", "/ready");

  /**
   * Settings.
   *
   * @param nodeId App Mesh node id (mesh/…/virtualNode|virtualGateway/…), also used as node.cluster
   * @param xdsHost control plane host (DNS name or IP)
   * @param xdsPort control plane port
   * @param adminPort Envoy admin port
   * @param tls TLS to the control plane, or null for plaintext
   * @param sdsSocket path of the node-local SDS socket (SPIRE), or null
   * @param adminAddress address the admin interface binds ({@code 0.0.0.0} when null)
   * @param statsPort port of a listener on every address that serves only {@link #STATS_PATHS}
   *     from the admin interface, or 0 for none
   */
  public record Settings(String nodeId, String xdsHost, int xdsPort, int adminPort, XdsTls tls, String sdsSocket,
      String adminAddress, int statsPort) {
    public Settings {
      adminAddress = adminAddress == null ? "0.0.0.0" : adminAddress;
      if (statsPort != 0 && statsPort == adminPort) {
        throw new IllegalArgumentException("the stats port must differ from the admin port (" + adminPort + ")");
      }
    }

    /** Admin on every address, no stats listener (what {@code bootstrap} prints). */
    public Settings(String nodeId, String xdsHost, int xdsPort, int adminPort, XdsTls tls, String sdsSocket) {
      this(nodeId, xdsHost, xdsPort, adminPort, tls, sdsSocket, null, 0);
    }
  }

  /**
   * TLS to the control plane: the CA bundle that verifies it (required: a TLS context without one
   * would accept any server), optional client certificate (mTLS), and the server name that is sent
   * as SNI and must be a DNS SAN of the control plane's certificate (default: the xDS host, when it
   * is a name; an IP address host is matched as an IP SAN).
   */
  public record XdsTls(String caFile, String certFile, String keyFile, String sni) {
    public XdsTls {
      if (caFile == null || caFile.isBlank()) {
        throw new IllegalArgumentException("TLS to the control plane needs a CA bundle that verifies it");
      }
      if ((certFile == null) != (keyFile == null)) {
        throw new IllegalArgumentException("a client certificate needs both its certificate and its key file");
      }
    }
  }

  public static Bootstrap build(Settings s) {
    NodeKey key = NodeKey.parse(s.nodeId(), null, "envoy", "");
    if (key == null) {
      throw new IllegalArgumentException("not an App Mesh node id: " + s.nodeId()
          + " (expected mesh/<mesh>/virtualNode/<name> or mesh/<mesh>/virtualGateway/<name>)");
    }
    Bootstrap.Builder b = Bootstrap.newBuilder()
        .setNode(Node.newBuilder().setId(s.nodeId()).setCluster(s.nodeId()))
        .setAdmin(Admin.newBuilder().setAddress(address(s.adminAddress(), s.adminPort())));
    Cluster.Builder xds = Cluster.newBuilder()
        .setName(XDS_CLUSTER)
        .setType(Cluster.DiscoveryType.STRICT_DNS)
        .setConnectTimeout(Protos.millis(1000))
        .putTypedExtensionProtocolOptions(ClusterFactory.HTTP_PROTOCOL_OPTIONS, Protos.pack(HttpProtocolOptions.newBuilder()
            .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())).build()))
        .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(XDS_CLUSTER)
            .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder().setAddress(address(s.xdsHost(), s.xdsPort()))))));
    if (s.tls() != null) {
      UpstreamTlsContext.Builder t = UpstreamTlsContext.newBuilder();
      boolean ipHost = isIpLiteral(s.xdsHost());
      String serverName = s.tls().sni() != null ? s.tls().sni() : ipHost ? null : s.xdsHost();
      if (serverName != null) {
        t.setSni(serverName);
      }
      CommonTlsContext.Builder c = t.getCommonTlsContextBuilder();
      // Envoy checks the chain against the CA and the certificate's SANs against this name.
      c.setValidationContext(CertificateValidationContext.newBuilder()
          .setTrustedCa(DataSource.newBuilder().setFilename(s.tls().caFile()))
          .addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
              .setSanType(serverName != null ? SubjectAltNameMatcher.SanType.DNS : SubjectAltNameMatcher.SanType.IP_ADDRESS)
              .setMatcher(StringMatcher.newBuilder().setExact(serverName != null ? serverName : s.xdsHost()))));
      if (s.tls().certFile() != null) {
        c.addTlsCertificates(TlsCertificate.newBuilder()
            .setCertificateChain(DataSource.newBuilder().setFilename(s.tls().certFile()))
            .setPrivateKey(DataSource.newBuilder().setFilename(s.tls().keyFile())));
      }
      xds.setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Protos.pack(t.build())));
    }
    b.getStaticResourcesBuilder().addClusters(xds);
    if (s.sdsSocket() != null) {
      b.getStaticResourcesBuilder().addClusters(Cluster.newBuilder()
          .setName(TlsFactory.SDS_CLUSTER)
          .setType(Cluster.DiscoveryType.STATIC)
          .setConnectTimeout(Protos.millis(1000))
          .putTypedExtensionProtocolOptions(ClusterFactory.HTTP_PROTOCOL_OPTIONS, Protos.pack(HttpProtocolOptions.newBuilder()
              .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                  .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())).build()))
          .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(TlsFactory.SDS_CLUSTER)
              .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                  .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
                      .setPipe(Pipe.newBuilder().setPath(s.sdsSocket()))))))));
    }
    if (s.statsPort() != 0) {
      StatsListener.add(b.getStaticResourcesBuilder(), s.adminAddress(), s.adminPort(), s.statsPort());
    }
    b.getDynamicResourcesBuilder()
        .setAdsConfig(ApiConfigSource.newBuilder()
            .setApiType(ApiConfigSource.ApiType.GRPC)
            .setTransportApiVersion(ApiVersion.V3)
            .setSetNodeOnFirstMessageOnly(true)
            .addGrpcServices(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(XDS_CLUSTER))))
        .setLdsConfig(waitingAds())
        .setCdsConfig(waitingAds());
    String kindTag = key.kind() == NodeKey.Kind.GATEWAY ? "appmesh.virtual_gateway" : "appmesh.virtual_node";
    StatsConfig.Builder stats = StatsConfig.newBuilder()
        .setUseAllDefaultTags(BoolValue.of(true))
        .addStatsTags(TagSpecifier.newBuilder().setTagName("appmesh.mesh").setFixedValue(key.mesh()))
        .addStatsTags(TagSpecifier.newBuilder().setTagName(kindTag).setFixedValue(key.name()));
    INGRESS_STATS_TAGS.forEach((name, regex) -> stats.addStatsTags(TagSpecifier.newBuilder().setTagName(name).setRegex(regex)));
    b.setStatsConfig(stats);
    b.setLayeredRuntime(LayeredRuntime.newBuilder()
        .addLayers(RuntimeLayer.newBuilder().setName(STATIC_LAYER).setStaticLayer(Struct.newBuilder()
            .putFields(Re2Limit.RUNTIME_KEY, Value.newBuilder().setNumberValue(Re2Limit.MAX_PROGRAM_SIZE).build())))
        .addLayers(RuntimeLayer.newBuilder().setName(ADMIN_LAYER).setAdminLayer(RuntimeLayer.AdminLayer.getDefaultInstance())));
    return b.build();
  }

  /** ADS as a config source that waits for its first answer ({@code initial_fetch_timeout: 0s}). */
  private static ConfigSource waitingAds() {
    return Protos.ads().toBuilder().setInitialFetchTimeout(Duration.getDefaultInstance()).build();
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("^[0-9.]+$") || host.contains(":");
  }

  static Address address(String host, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port)).build();
  }
}
