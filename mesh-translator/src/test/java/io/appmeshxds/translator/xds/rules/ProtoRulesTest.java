package io.appmeshxds.translator.xds.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.InternalRedirectPolicy;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.Percent;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtoRulesTest {

  private static final String HTTP_OPTIONS_KEY = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  // ---- valid resources -------------------------------------------------------------------------

  @Test
  void realisticListenerIsValid() {
    assertThat(ProtoRules.check(listener(hcm("ingress_http")), true)).isEmpty();
  }

  @Test
  void realisticClusterIsValid() {
    assertThat(ProtoRules.check(cluster(), true)).isEmpty();
  }

  @Test
  void realisticRouteConfigurationIsValid() {
    assertThat(ProtoRules.check(routeConfiguration(), true)).isEmpty();
  }

  @Test
  void realisticClusterLoadAssignmentIsValid() {
    assertThat(ProtoRules.check(loadAssignment(), true)).isEmpty();
    ProtoRules.requireValid(loadAssignment());
  }

  // ---- violations ------------------------------------------------------------------------------

  @Test
  void emptyClusterNameIsReported() {
    assertThat(ProtoRules.check(cluster().toBuilder().setName("").build())).containsExactly(
        new Violation("name", "string.min_len", "value length must be at least 1 characters"));
  }

  @Test
  void negativeConnectTimeoutIsReported() {
    Cluster negative = cluster().toBuilder().setConnectTimeout(seconds(-1)).build();
    Cluster zero = cluster().toBuilder().setConnectTimeout(seconds(0)).build();

    assertThat(ProtoRules.check(negative)).containsExactly(
        new Violation("connect_timeout", "duration.gt", "value must be greater than 0s"));
    assertThat(ProtoRules.check(zero)).hasSize(1);
  }

  @Test
  void weightedClusterWithoutClustersIsReported() {
    RouteConfiguration config = routeConfiguration().toBuilder()
        .setVirtualHosts(0, virtualHost().toBuilder().setRoutes(0, Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.getDefaultInstance()))))
        .build();

    assertThat(ProtoRules.check(config)).containsExactly(new Violation(
        "virtual_hosts[0].routes[0].route.weighted_clusters.clusters", "repeated.min_items",
        "value must contain at least 1 item(s)"));
  }

  @Test
  void virtualHostWithoutDomainsIsReported() {
    RouteConfiguration config = routeConfiguration().toBuilder()
        .setVirtualHosts(0, virtualHost().toBuilder().clearDomains())
        .build();

    assertThat(ProtoRules.check(config)).containsExactly(new Violation(
        "virtual_hosts[0].domains", "repeated.min_items", "value must contain at least 1 item(s)"));
  }

  @Test
  void httpConnectionManagerPackedInAnyIsChecked() {
    List<Violation> violations = ProtoRules.check(listener(hcm("")));

    assertThat(violations).containsExactly(new Violation(
        "filter_chains[0].filters[0].typed_config.(HttpConnectionManager).stat_prefix",
        "string.min_len", "value length must be at least 1 characters"));
  }

  @Test
  void unsetRequiredOneofsAreReported() {
    RouteConfiguration config = routeConfiguration().toBuilder()
        .setVirtualHosts(0, virtualHost().toBuilder()
            .setRoutes(0, Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/")))
            .setRoutes(1, Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setTimeout(seconds(5)))))
        .build();

    assertThat(ProtoRules.check(config)).containsExactly(
        new Violation("virtual_hosts[0].routes[0].action", "oneof.required",
            "exactly one field is required in oneof \"action\""),
        new Violation("virtual_hosts[0].routes[1].route.cluster_specifier", "oneof.required",
            "exactly one field is required in oneof \"cluster_specifier\""));
  }

  @Test
  void undefinedEnumValueIsReported() {
    Cluster undefined = cluster().toBuilder().setLbPolicyValue(42).build();

    assertThat(ProtoRules.check(undefined)).singleElement().satisfies(v -> {
      assertThat(v.path()).isEqualTo("lb_policy");
      assertThat(v.rule()).isEqualTo("enum.defined_only");
      assertThat(v.message()).startsWith("value must be one of the defined enum values");
    });
  }

  @Test
  void enumNotInIsReported() {
    Cluster connect = cluster().toBuilder().setHealthChecks(0, healthCheck().toBuilder()
        .setHttpHealthCheck(healthCheck().getHttpHealthCheck().toBuilder().setMethod(RequestMethod.CONNECT)))
        .build();

    assertThat(ProtoRules.check(connect)).containsExactly(new Violation(
        "health_checks[0].http_health_check.method", "enum.not_in", "value must not be in list [CONNECT]"));
  }

  @Test
  void headerNamesAreCheckedStrictlyOrLooselyAsDeclared() {
    // override_auto_sni_header: HTTP_HEADER_NAME, strict (the default).
    Cluster badSniHeader = cluster().toBuilder()
        .putTypedExtensionProtocolOptions(HTTP_OPTIONS_KEY, Any.pack(httpOptions().toBuilder()
            .setUpstreamHttpProtocolOptions(UpstreamHttpProtocolOptions.newBuilder()
                .setOverrideAutoSniHeader("bad header"))
            .build()))
        .build();
    // HeaderMatcher.name: HTTP_HEADER_NAME with strict: false — only NUL, CR, LF are refused.
    RouteConfiguration headerMatchers = routeConfiguration().toBuilder()
        .setVirtualHosts(0, virtualHost().toBuilder().setRoutes(1, Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/")
                .addHeaders(HeaderMatcher.newBuilder().setName("spaces are tolerated").setPresentMatch(true))
                .addHeaders(HeaderMatcher.newBuilder().setName("x-evil\r\nx-other").setPresentMatch(true)))
            .setRoute(RouteAction.newBuilder().setCluster("backend"))))
        .build();

    assertThat(ProtoRules.check(badSniHeader)).singleElement().satisfies(v -> {
      assertThat(v.path()).isEqualTo("typed_extension_protocol_options[\"" + HTTP_OPTIONS_KEY
          + "\"].(HttpProtocolOptions).upstream_http_protocol_options.override_auto_sni_header");
      assertThat(v.rule()).isEqualTo("string.well_known_regex");
      assertThat(v.message()).startsWith("value must be a valid HTTP header name");
    });
    assertThat(ProtoRules.check(headerMatchers)).containsExactly(new Violation(
        "virtual_hosts[0].routes[1].match.headers[1].name", "string.well_known_regex",
        "value must not contain NUL, CR or LF characters"));
  }

  @Test
  void repeatedItemRulesApplyToEachElement() {
    RouteConfiguration config = routeConfiguration().toBuilder()
        .setVirtualHosts(0, virtualHost().toBuilder().addDomains("bad\nhost"))
        .build();

    assertThat(ProtoRules.check(config)).containsExactly(new Violation(
        "virtual_hosts[0].domains[2]", "string.well_known_regex",
        "value must not contain NUL, CR or LF characters"));
  }

  @Test
  void stringPatternIsAFullRe2Match() {
    RouteConfiguration trailingSlash = withMatch(RouteMatch.newBuilder().setPathSeparatedPrefix("/api/"));
    RouteConfiguration fine = withMatch(RouteMatch.newBuilder().setPathSeparatedPrefix("/api"));

    assertThat(ProtoRules.check(trailingSlash)).containsExactly(new Violation(
        "virtual_hosts[0].routes[0].match.path_separated_prefix", "string.pattern",
        "value does not match regex pattern \"^[^?#]+[^?#/]$\""));
    assertThat(ProtoRules.check(fine)).isEmpty();
  }

  @Test
  void numericBoundsOnScalarsAndWrappers() {
    ClusterLoadAssignment badPort = loadAssignment().toBuilder()
        .setEndpoints(0, loadAssignment().getEndpoints(0).toBuilder()
            .setLbEndpoints(0, lbEndpoint("10.0.0.12", 70000)))
        .build();
    Cluster badPercents = cluster().toBuilder()
        .setOutlierDetection(OutlierDetection.newBuilder().setMaxEjectionPercent(UInt32Value.of(101)))
        .setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
            .setHealthyPanicThreshold(Percent.newBuilder().setValue(150)))
        .build();
    // LbEndpoint.load_balancing_weight is a UInt32Value with gte: 1; unset means "no rule".
    ClusterLoadAssignment unsetWeight = loadAssignment().toBuilder()
        .setEndpoints(0, loadAssignment().getEndpoints(0).toBuilder()
            .setLbEndpoints(0, lbEndpoint("10.0.0.12", 8080).toBuilder().clearLoadBalancingWeight()))
        .build();

    assertThat(ProtoRules.check(badPort)).containsExactly(new Violation(
        "endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value", "uint32.lte",
        "value must be less than or equal to 65535"));
    assertThat(ProtoRules.check(badPercents)).containsExactly(
        new Violation("outlier_detection.max_ejection_percent", "uint32.lte",
            "value must be less than or equal to 100"),
        new Violation("common_lb_config.healthy_panic_threshold.value", "double.gte_lte",
            "value must be inside range [0, 100]"));
    assertThat(ProtoRules.check(unsetWeight)).isEmpty();
  }

  @Test
  void bytesLengthIsChecked() {
    RouteConfiguration config = routeConfiguration().toBuilder()
        .setRequestHeadersToAdd(0, HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder()
            .setKey("x-blob").setRawValue(ByteString.copyFrom(new byte[16385]))))
        .build();

    // raw_value says {min_len: 0, max_len: 16384}; Envoy words that as a range.
    assertThat(ProtoRules.check(config)).containsExactly(new Violation(
        "request_headers_to_add[0].header.raw_value", "bytes.max_len",
        "value length must be between 0 and 16384 bytes, inclusive"));
  }

  @Test
  void mapKeyRulesAreChecked() {
    Cluster emptyKey = cluster().toBuilder()
        .setMetadata(Metadata.newBuilder().putFilterMetadata("", Struct.getDefaultInstance()))
        .build();

    assertThat(ProtoRules.check(emptyKey)).containsExactly(new Violation(
        "metadata.filter_metadata[\"\"]", "keys.string.min_len",
        "value length must be at least 1 characters"));
  }

  @Test
  void requiredMessagesAndDurations() {
    RouteConfiguration noHeader = routeConfiguration().toBuilder()
        .setRequestHeadersToAdd(0, HeaderValueOption.getDefaultInstance())
        .build();
    Cluster noTimeout = cluster().toBuilder()
        .setHealthChecks(0, healthCheck().toBuilder().clearTimeout())
        .build();

    assertThat(ProtoRules.check(noHeader)).containsExactly(new Violation(
        "request_headers_to_add[0].header", "message.required", "value is required"));
    assertThat(ProtoRules.check(noTimeout)).containsExactly(new Violation(
        "health_checks[0].timeout", "duration.required", "value is required"));
  }

  @Test
  void repeatedUniqueIsChecked() {
    RouteConfiguration config = withAction(RouteAction.newBuilder().setCluster("backend")
        .setInternalRedirectPolicy(InternalRedirectPolicy.newBuilder()
            .addResponseHeadersToCopy("x-a").addResponseHeadersToCopy("x-b")
            .addResponseHeadersToCopy("x-a")));

    assertThat(ProtoRules.check(config)).containsExactly(new Violation(
        "virtual_hosts[0].routes[0].route.internal_redirect_policy.response_headers_to_copy[2]",
        "repeated.unique", "repeated value must contain unique items"));
  }

  @Test
  void requireValidThrowsListingEveryViolation() {
    Cluster broken = cluster().toBuilder().setName("").setConnectTimeout(seconds(-5)).build();

    ProtoRuleException e = catchThrowableOfType(ProtoRuleException.class,
        () -> ProtoRules.requireValid(broken));

    assertThat(e.violations()).extracting(Violation::rule)
        .containsExactly("string.min_len", "duration.gt");
    assertThat(e).hasMessageContaining("envoy.config.cluster.v3.Cluster breaks 2 proto rules")
        .hasMessageContaining("name: value length must be at least 1 characters [string.min_len]")
        .hasMessageContaining("connect_timeout: value must be greater than 0s [duration.gt]");
    assertThatThrownBy(() -> ProtoRules.requireValid(broken)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownAnyTypeIsReportedOnlyInStrictMode() {
    Any unknown = Any.newBuilder().setTypeUrl("type.googleapis.com/example.NotAnEnvoyType")
        .setValue(ByteString.copyFromUtf8("whatever")).build();
    Listener listener = listener(hcm("ingress_http")).toBuilder()
        .setFilterChains(0, FilterChain.newBuilder()
            .addFilters(Filter.newBuilder().setName("example.filter").setTypedConfig(unknown)))
        .build();

    assertThat(ProtoRules.check(listener)).isEmpty();
    assertThat(ProtoRules.check(listener, true)).containsExactly(new Violation(
        "filter_chains[0].filters[0].typed_config", "any.type",
        "unknown type \"type.googleapis.com/example.NotAnEnvoyType\" cannot be validated"));
  }

  @Test
  void undecodableAnyPayloadIsReported() {
    Any garbage = Any.newBuilder()
        .setTypeUrl("type.googleapis.com/" + HttpConnectionManager.getDescriptor().getFullName())
        .setValue(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
        .build();
    Listener listener = listener(hcm("ingress_http")).toBuilder()
        .setFilterChains(0, FilterChain.newBuilder().addFilters(Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager").setTypedConfig(garbage)))
        .build();

    assertThat(ProtoRules.check(listener)).singleElement().satisfies(v -> {
      assertThat(v.path()).isEqualTo("filter_chains[0].filters[0].typed_config");
      assertThat(v.rule()).isEqualTo("any.unpack");
    });
  }

  @Test
  void typedFilterMetadataAnyIsUnpacked() {
    Cluster cluster = cluster().toBuilder()
        .setMetadata(Metadata.newBuilder().putTypedFilterMetadata("example",
            Any.pack(Percent.newBuilder().setValue(-1).build())))
        .build();

    assertThat(ProtoRules.check(cluster)).containsExactly(new Violation(
        "metadata.typed_filter_metadata[\"example\"].(Percent).value", "double.gte_lte",
        "value must be inside range [0, 100]"));
  }

  // ---- fixtures --------------------------------------------------------------------------------

  private static Duration seconds(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  private static Address address(String ip, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
        .build();
  }

  private static ConfigSource ads() {
    return ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3)
        .build();
  }

  private static HttpConnectionManager hcm(String statPrefix) {
    return HttpConnectionManager.newBuilder()
        .setStatPrefix(statPrefix)
        .setCodecType(HttpConnectionManager.CodecType.AUTO)
        .setRds(Rds.newBuilder().setRouteConfigName("local_route").setConfigSource(ads()))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .addAccessLog(AccessLog.newBuilder().setName("envoy.access_loggers.file")
            .setTypedConfig(Any.pack(FileAccessLog.newBuilder().setPath("/dev/stdout").build())))
        .setStreamIdleTimeout(seconds(300))
        .build();
  }

  private static Listener listener(HttpConnectionManager hcm) {
    return Listener.newBuilder()
        .setName("ingress_http")
        .setAddress(address("0.0.0.0", 15000))
        .setTrafficDirection(TrafficDirection.INBOUND)
        .addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.tls_inspector")
            .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())))
        .addFilterChains(FilterChain.newBuilder()
            .addFilters(Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(hcm))))
        .build();
  }

  private static HttpProtocolOptions httpOptions() {
    return HttpProtocolOptions.newBuilder()
        .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
            .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
        .build();
  }

  private static HealthCheck healthCheck() {
    return HealthCheck.newBuilder()
        .setTimeout(seconds(1))
        .setInterval(seconds(5))
        .setUnhealthyThreshold(UInt32Value.of(3))
        .setHealthyThreshold(UInt32Value.of(2))
        .setHttpHealthCheck(HealthCheck.HttpHealthCheck.newBuilder().setPath("/healthz"))
        .build();
  }

  private static Cluster cluster() {
    return Cluster.newBuilder()
        .setName("backend")
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads()).setServiceName("backend"))
        .setConnectTimeout(seconds(1))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
        .putTypedExtensionProtocolOptions(HTTP_OPTIONS_KEY, Any.pack(httpOptions()))
        .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
            .setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder()
                .setSni("backend.default.svc.cluster.local")
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                    .setValidationContext(CertificateValidationContext.newBuilder()
                        .setTrustedCa(DataSource.newBuilder().setFilename("/certs/ca.pem"))))
                .build())))
        .setOutlierDetection(OutlierDetection.newBuilder()
            .setInterval(seconds(10))
            .setMaxEjectionPercent(UInt32Value.of(50)))
        .addHealthChecks(healthCheck())
        .setMetadata(Metadata.newBuilder().putFilterMetadata("envoy.lb", Struct.newBuilder()
            .putFields("version", Value.newBuilder().setStringValue("v1").build()).build()))
        .build();
  }

  private static VirtualHost virtualHost() {
    return VirtualHost.newBuilder()
        .setName("backend")
        .addDomains("backend.default.svc.cluster.local")
        .addDomains("backend:8080")
        .addRoutes(Route.newBuilder().setName("canary")
            .setMatch(RouteMatch.newBuilder().setPrefix("/api")
                .addHeaders(HeaderMatcher.newBuilder().setName("x-canary")
                    .setStringMatch(StringMatcher.newBuilder().setExact("true"))))
            .setRoute(RouteAction.newBuilder()
                .setWeightedClusters(WeightedCluster.newBuilder()
                    .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("backend-v1")
                        .setWeight(UInt32Value.of(90)))
                    .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("backend-v2")
                        .setWeight(UInt32Value.of(10))))
                .setTimeout(seconds(15))
                .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx,reset")
                    .setNumRetries(UInt32Value.of(2)).setPerTryTimeout(seconds(5)))))
        .addRoutes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(RouteAction.newBuilder().setCluster("backend")))
        .build();
  }

  private static RouteConfiguration routeConfiguration() {
    return RouteConfiguration.newBuilder()
        .setName("local_route")
        .addVirtualHosts(virtualHost())
        .addRequestHeadersToAdd(HeaderValueOption.newBuilder()
            .setHeader(HeaderValue.newBuilder().setKey("x-mesh").setValue("appmesh")))
        .addResponseHeadersToRemove("server")
        .build();
  }

  private static RouteConfiguration withMatch(RouteMatch.Builder match) {
    return routeConfiguration().toBuilder()
        .setVirtualHosts(0, virtualHost().toBuilder().setRoutes(0, Route.newBuilder()
            .setMatch(match).setRoute(RouteAction.newBuilder().setCluster("backend"))))
        .build();
  }

  private static RouteConfiguration withAction(RouteAction.Builder action) {
    return routeConfiguration().toBuilder()
        .setVirtualHosts(0, virtualHost().toBuilder().setRoutes(0, Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/")).setRoute(action)))
        .build();
  }

  private static LbEndpoint lbEndpoint(String ip, int port) {
    return LbEndpoint.newBuilder()
        .setEndpoint(Endpoint.newBuilder().setAddress(address(ip, port)))
        .setHealthStatus(HealthStatus.HEALTHY)
        .setLoadBalancingWeight(UInt32Value.of(1))
        .build();
  }

  private static ClusterLoadAssignment loadAssignment() {
    return ClusterLoadAssignment.newBuilder()
        .setClusterName("backend")
        .addEndpoints(LocalityLbEndpoints.newBuilder()
            .setLocality(Locality.newBuilder().setRegion("us-west-2").setZone("us-west-2a"))
            .addLbEndpoints(lbEndpoint("10.0.0.12", 8080))
            .addLbEndpoints(lbEndpoint("10.0.0.13", 8080))
            .setLoadBalancingWeight(UInt32Value.of(100)))
        .setPolicy(ClusterLoadAssignment.Policy.newBuilder().setOverprovisioningFactor(UInt32Value.of(140)))
        .build();
  }
}
