package io.appmeshxds.tracing.xds;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.appmeshxds.tracing.plan.TracingPlan;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.ExtensionPlan;
import io.appmeshxds.translator.xds.ExtensionFactory;
import io.appmeshxds.translator.xds.Names;
import io.appmeshxds.translator.xds.rules.ProtoRules;
import io.appmeshxds.translator.xds.Protos;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.Tracing;
import io.envoyproxy.envoy.config.trace.v3.XRayConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.tracers.opentelemetry.resource_detectors.v3.StaticConfigResourceDetectorConfig;
import io.envoyproxy.envoy.type.v3.Percent;
import java.math.BigDecimal;
import java.util.List;

/**
 * Builds {@code HttpConnectionManager.tracing} from a {@link TracingPlan}: {@code random_sampling},
 * {@code spawn_upstream_span} and the provider ({@code envoy.tracers.xray}, {@code
 * envoy.tracers.opentelemetry} or {@code envoy.tracers.zipkin}); request ids stay generated
 * ({@code generate_request_id: true}, Envoy's default, made explicit), so the sampling decision
 * Envoy keeps in {@code x-request-id} travels with the request.
 */
public final class TracingFactory implements ExtensionFactory {
  static final String XRAY = "envoy.tracers.xray";
  static final String OPENTELEMETRY = "envoy.tracers.opentelemetry";
  static final String ZIPKIN = "envoy.tracers.zipkin";
  static final String STATIC_RESOURCE_DETECTOR = "envoy.tracers.opentelemetry.resource_detectors.static_config";
  /** Envoy's X-Ray tracer samples 5 % (plus one request a second) unless given a manifest. */
  static final double XRAY_DEFAULT_PERCENT = 5.0;

  private static final List<Descriptor> TYPES = List.of(XRayConfig.getDescriptor(), OpenTelemetryConfig.getDescriptor(),
      ZipkinConfig.getDescriptor(), StaticConfigResourceDetectorConfig.getDescriptor());

  static {
    // Known to ProtoRules already; registering keeps the check honest if that list ever changes.
    ProtoRules.register(TYPES.toArray(new Descriptor[0]));
  }

  @Override
  public boolean handles(ExtensionPlan plan) {
    return plan instanceof TracingPlan;
  }

  @Override
  public void applyHttp(ExtensionPlan plan, HttpConnectionManager.Builder hcm, Dialect dialect) {
    if (dialect.proxyless()) {
      return;
    }
    hcm.setGenerateRequestId(BoolValue.of(true));
    hcm.setTracing(tracing((TracingPlan) plan));
  }

  @Override
  public List<Descriptor> types() {
    return TYPES;
  }

  /** The HCM tracing block of a plan. */
  public static HttpConnectionManager.Tracing tracing(TracingPlan t) {
    return HttpConnectionManager.Tracing.newBuilder()
        .setRandomSampling(Percent.newBuilder().setValue(t.samplingPercent()))
        .setSpawnUpstreamSpan(BoolValue.of(t.spawnUpstreamSpan()))
        .setProvider(provider(t))
        .build();
  }

  private static Tracing.Http provider(TracingPlan t) {
    if (t.provider() instanceof TracingPlan.XRay x) {
      return Tracing.Http.newBuilder().setName(XRAY).setTypedConfig(Protos.pack(xray(x, t.samplingPercent()))).build();
    }
    if (t.provider() instanceof TracingPlan.OpenTelemetry o) {
      return Tracing.Http.newBuilder().setName(OPENTELEMETRY).setTypedConfig(Protos.pack(openTelemetry(o))).build();
    }
    TracingPlan.Zipkin z = (TracingPlan.Zipkin) t.provider();
    return Tracing.Http.newBuilder().setName(ZIPKIN).setTypedConfig(Protos.pack(ZipkinConfig.newBuilder()
        .setCollectorCluster(Names.cluster(z.collector()))
        .setCollectorEndpoint("/api/v2/spans")
        .setCollectorEndpointVersion(ZipkinConfig.CollectorEndpointVersion.HTTP_JSON)
        .setCollectorHostname(z.collectorHostname())
        .build())).build();
  }

  /** App Mesh's shape (aws-app-mesh-agent): UDP daemon, segment name, origin and app_mesh fields. */
  static XRayConfig xray(TracingPlan.XRay x, double percent) {
    XRayConfig.Builder b = XRayConfig.newBuilder()
        .setDaemonEndpoint(SocketAddress.newBuilder().setProtocol(SocketAddress.Protocol.UDP)
            .setAddress(x.daemonAddress()).setPortValue((int) x.daemonPort()))
        .setSegmentName(x.segmentName())
        .setSegmentFields(XRayConfig.SegmentFields.newBuilder()
            .setOrigin("AWS::AppMesh::Proxy")
            .setAws(Struct.newBuilder().putFields("app_mesh", Value.newBuilder().setStructValue(Struct.newBuilder()
                .putFields("mesh_name", Value.newBuilder().setStringValue(x.mesh()).build())
                .putFields("virtual_node_name", Value.newBuilder().setStringValue(x.virtualNode()).build())).build())));
    if (percent != XRAY_DEFAULT_PERCENT) {
      b.setSamplingRuleManifest(DataSource.newBuilder().setInlineString(samplingManifest(percent)));
    }
    return b.build();
  }

  /**
   * The X-Ray tracer's local sampling rules (version 2) for a percentage: Why: that tracer makes its
   * own decision and ignores HCM {@code random_sampling}. Like Envoy's default rule, one request a
   * second is traced on top of the rate, except at 0 %, which means none.
   */
  static String samplingManifest(double percent) {
    String rate = BigDecimal.valueOf(percent).movePointLeft(2).stripTrailingZeros().toPlainString();
    return "{\"version\":2,\"rules\":[],\"default\":{\"fixed_target\":" + (percent == 0 ? 0 : 1) + ",\"rate\":" + rate + "}}";
  }

  static OpenTelemetryConfig openTelemetry(TracingPlan.OpenTelemetry o) {
    return OpenTelemetryConfig.newBuilder()
        .setGrpcService(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder()
            .setClusterName(Names.cluster(o.collector()))))
        .setServiceName(o.serviceName())
        .addResourceDetectors(TypedExtensionConfig.newBuilder()
            .setName(STATIC_RESOURCE_DETECTOR)
            .setTypedConfig(Protos.pack(StaticConfigResourceDetectorConfig.newBuilder()
                .putAllAttributes(o.resourceAttributes()).build())))
        .build();
  }
}
