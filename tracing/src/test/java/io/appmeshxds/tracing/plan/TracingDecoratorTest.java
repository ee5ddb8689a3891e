package io.appmeshxds.tracing.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.appmeshxds.tracing.config.ConfigLoader;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.xds.TracingFactory;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.LocalRuleCache;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.Direction;
import io.appmeshxds.translator.plan.FilterChainPlan;
import io.appmeshxds.translator.plan.ListenerPlan;
import io.appmeshxds.translator.plan.NetworkFilterPlan;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.plan.RouteConfigId;
import io.appmeshxds.translator.plan.WeightedCluster;
import io.appmeshxds.translator.xds.XdsChecks;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.XRayConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.tracers.opentelemetry.resource_detectors.v3.StaticConfigResourceDetectorConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gateways, proxyless clients, TCP-only proxies and the tracing-off case, on hand-built plans. */
class TracingDecoratorTest {
  static final NodeKey GATEWAY = NodeKey.gateway("shop", "edge_store");

  static final String GATEWAY_MESH = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: store, labels: {mesh: shop}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: Mesh
      metadata: {name: shop}
      spec: {namespaceSelector: {matchLabels: {mesh: shop}}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualGateway
      metadata:
        name: edge
        namespace: store
        annotations: {ANNOTATIONS}
      spec:
        namespaceSelector: {matchLabels: {mesh: shop}}
        podSelector: {matchLabels: {app: edge}}
        listeners:
          - portMapping: {port: 8088, protocol: http}
      """;

  static PlanContext ctx(String annotations) {
    MeshResources in = MeshResources.of(new ManifestLoader().loadText("gw.yaml",
        GATEWAY_MESH.replace("{ANNOTATIONS}", annotations)));
    MeshModel model = new MeshModelBuilder(new LocalRuleCache(), List.of(new TracingOverrides()), List.of()).build(in).model();
    assertThat(model.mesh("shop").gateways()).containsKey("edge_store");
    return new PlanContext(model);
  }

  /** A gateway-like plan: one HTTP listener on 8088 routed by rds_ingress_http_8088. */
  static ProxyPlan gatewayPlan() {
    FilterChainPlan chain = new FilterChainPlan("gateway_http_8088", null, List.of(), FilterChainPlan.Transport.ANY, null,
        new NetworkFilterPlan.Http("ingress", new RouteConfigId(Direction.INGRESS, 8088), null, List.of()));
    return new ProxyPlan(GATEWAY, List.of(new ListenerPlan.Socket(Direction.INGRESS, 8088, false, false, List.of(chain))),
        List.of(), List.of(), List.of(), List.of());
  }

  static TracingDecorator decorator(String yaml) throws Exception {
    return new TracingDecorator(ConfigLoader.parse("c.yaml", yaml).tracing());
  }

  static HttpConnectionManager hcm(ProxyPlan plan) throws Exception {
    TracingFactory f = new TracingFactory();
    XdsResources r = new XdsTranslator(List.of(f)).translate(plan);
    Listener l = r.<Listener>protos(XdsResources.Type.LISTENER).get(0);
    return l.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
  }

  @Test
  void aGatewayIsAHopOfItsOwnAndKeepsAppMeshsXRaySegmentFields() throws Exception {
    ProxyPlan p = decorator("tracing: {provider: xray}\n").decorate(gatewayPlan(), ctx("{}"));
    HttpConnectionManager hcm = hcm(p);
    assertThat(hcm.getTracing().getSpawnUpstreamSpan().getValue()).isTrue();
    assertThat(hcm.getGenerateRequestId().getValue()).isTrue();
    assertThat(hcm.getTracing().getRandomSampling().getValue()).isEqualTo(5.0);
    XRayConfig x = hcm.getTracing().getProvider().getTypedConfig().unpack(XRayConfig.class);
    assertThat(x.getSegmentName()).isEqualTo("shop/edge_store");
    assertThat(x.getSegmentFields().getOrigin()).isEqualTo("AWS::AppMesh::Proxy");
    Struct appMesh = x.getSegmentFields().getAws().getFieldsOrThrow("app_mesh").getStructValue();
    assertThat(appMesh.getFieldsOrThrow("mesh_name").getStringValue()).isEqualTo("shop");
    assertThat(appMesh.getFieldsOrThrow("virtual_node_name").getStringValue()).isEqualTo("edge_store");
    assertThat(x.hasSamplingRuleManifest()).isFalse();
    assertThat(p.clusters()).isEmpty();
  }

  @Test
  void aGatewayFollowsItsAnnotationsAndNamesItselfAsAGatewayToOpenTelemetry() throws Exception {
    TracingDecorator d = decorator("tracing: {provider: xray}\n");
    PlanContext ctx = ctx("{appmesh-xds.io/tracing: opentelemetry, appmesh-xds.io/tracing-sampling: \"100\"}");
    ProxyPlan p = d.decorate(gatewayPlan(), ctx);
    HttpConnectionManager hcm = hcm(p);
    assertThat(hcm.getTracing().getRandomSampling().getValue()).isEqualTo(100.0);
    OpenTelemetryConfig o = hcm.getTracing().getProvider().getTypedConfig().unpack(OpenTelemetryConfig.class);
    assertThat(o.getServiceName()).isEqualTo("edge_store");
    assertThat(o.getGrpcService().getEnvoyGrpc().getClusterName()).isEqualTo("tracing_opentelemetry_collector");
    assertThat(o.getResourceDetectors(0).getTypedConfig().unpack(StaticConfigResourceDetectorConfig.class).getAttributesMap())
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("aws.appmesh.mesh", "shop", "aws.appmesh.virtual_gateway", "edge_store"));
    assertThat(p.clusters()).extracting(ClusterPlan::id).containsExactly(TracingDecorator.OTEL_COLLECTOR);
    XdsResources r = new XdsTranslator(List.of(new TracingFactory())).translate(p);
    assertThat(XdsChecks.rules(XdsResources.Type.CLUSTER, r.get(XdsResources.Type.CLUSTER).get(0))).isEmpty();
    assertThat(XdsChecks.rules(XdsResources.Type.LISTENER, r.get(XdsResources.Type.LISTENER).get(0))).isEmpty();
    // Equal inputs, equal (memoized) collector cluster: plans stay comparable across builds.
    assertThat(d.decorate(gatewayPlan(), ctx)).isEqualTo(p);
  }

  @Test
  void noneOnTheObjectOrEverywhereLeavesThePlanAlone() throws Exception {
    ProxyPlan plan = gatewayPlan();
    assertThat(decorator("tracing: {provider: zipkin}\n").decorate(plan, ctx("{appmesh-xds.io/tracing: none}"))).isSameAs(plan);
    assertThat(decorator("tracing: {provider: none, samplingPercent: 50}\n").decorate(plan, ctx("{}"))).isSameAs(plan);
  }

  @Test
  void proxylessClientsAreNeverTraced() throws Exception {
    NodeKey key = NodeKey.proxyless("shop", "web_store", Dialect.GRPC);
    ProxyPlan plan = new ProxyPlan(key, List.of(new ListenerPlan.Api("api.store", 9090L,
        new RouteConfigId(Direction.EGRESS, 9090), null)), List.of(), List.of(), List.of(), List.of());
    assertThat(decorator("tracing: {provider: opentelemetry}\n").decorate(plan, ctx("{}"))).isSameAs(plan);
  }

  @Test
  void aProxyWithoutHttpGetsNoCollectorCluster() throws Exception {
    NodeKey key = NodeKey.sidecar("shop", "db_store");
    ClusterId local = new ClusterId.Local("shop", "db_store", PortProtocol.tcp, 5432);
    FilterChainPlan chain = new FilterChainPlan("ingress_tcp_5432", 5432L, List.of(), FilterChainPlan.Transport.ANY, null,
        new NetworkFilterPlan.Tcp("ingress", List.of(new WeightedCluster(local, 100)), null, null, List.of()));
    ProxyPlan plan = new ProxyPlan(key, List.of(new ListenerPlan.Socket(Direction.INGRESS, 15000, true, false, List.of(chain))),
        List.of(), List.of(), List.of(), List.of());
    assertThat(decorator("tracing: {provider: zipkin}\n").decorate(plan, ctx("{}"))).isSameAs(plan);
  }
}
