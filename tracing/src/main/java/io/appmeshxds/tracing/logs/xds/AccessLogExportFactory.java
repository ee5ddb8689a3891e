package io.appmeshxds.tracing.logs.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.ExtensionPlan;
import io.appmeshxds.translator.xds.ExtensionFactory;
import io.appmeshxds.translator.xds.rules.ProtoRules;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.CommonGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;

/**
 * Builds {@code envoy.access_loggers.http_grpc} / {@code tcp_grpc} from an {@link AccessLogExportPlan}.
 *
 * <p>HTTP loggers also log the trace headers ({@code x-amzn-trace-id}, {@code traceparent}) and the
 * response header {@code x-envoy-upstream-service-time}: the ALS entry carries only the headers it is
 * told to, and the exporter's events need the trace id and App Mesh's {@code upstream_service_time}.
 */
public final class AccessLogExportFactory implements ExtensionFactory {
  public static final String HTTP_GRPC = "envoy.access_loggers.http_grpc";
  public static final String TCP_GRPC = "envoy.access_loggers.tcp_grpc";
  /** Request headers logged in addition to the fixed ALS fields. */
  public static final List<String> REQUEST_HEADERS = List.of("x-amzn-trace-id", "traceparent");
  /** Response headers logged in addition to the fixed ALS fields. */
  public static final List<String> RESPONSE_HEADERS = List.of("x-envoy-upstream-service-time");

  static {
    ProtoRules.register(HttpGrpcAccessLogConfig.getDescriptor(), TcpGrpcAccessLogConfig.getDescriptor());
  }

  @Override
  public boolean handles(ExtensionPlan plan) {
    return plan instanceof AccessLogExportPlan;
  }

  @Override
  public void applyHttp(ExtensionPlan plan, HttpConnectionManager.Builder hcm, Dialect dialect) {
    AccessLogExportPlan p = (AccessLogExportPlan) plan;
    HttpGrpcAccessLogConfig c = HttpGrpcAccessLogConfig.newBuilder()
        .setCommonConfig(common(p))
        .addAllAdditionalRequestHeadersToLog(REQUEST_HEADERS)
        .addAllAdditionalResponseHeadersToLog(RESPONSE_HEADERS)
        .build();
    hcm.addAccessLog(AccessLog.newBuilder().setName(HTTP_GRPC).setTypedConfig(Any.pack(c)));
  }

  @Override
  public void applyTcp(ExtensionPlan plan, TcpProxy.Builder tcp) {
    AccessLogExportPlan p = (AccessLogExportPlan) plan;
    TcpGrpcAccessLogConfig c = TcpGrpcAccessLogConfig.newBuilder().setCommonConfig(common(p)).build();
    tcp.addAccessLog(AccessLog.newBuilder().setName(TCP_GRPC).setTypedConfig(Any.pack(c)));
  }

  private static CommonGrpcAccessLogConfig common(AccessLogExportPlan p) {
    return CommonGrpcAccessLogConfig.newBuilder()
        .setLogName(p.logName())
        .setGrpcService(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(p.cluster())))
        .setTransportApiVersion(ApiVersion.V3)
        .build();
  }

  @Override
  public List<Descriptor> types() {
    return List.of(HttpGrpcAccessLogConfig.getDescriptor(), TcpGrpcAccessLogConfig.getDescriptor());
  }
}
