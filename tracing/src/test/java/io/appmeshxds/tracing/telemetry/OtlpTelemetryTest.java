package io.appmeshxds.tracing.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spans reach a loopback OTLP/gRPC receiver (grpc-java, TraceService from the api jar). */
class OtlpTelemetryTest {
  final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  Server server;

  @BeforeEach
  void receiver() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> out) {
            received.add(request);
            out.onNext(ExportTraceServiceResponse.getDefaultInstance());
            out.onCompleted();
          }
        }).build().start();
  }

  @AfterEach
  void stop() {
    server.shutdownNow();
  }

  List<Span> spans() {
    List<Span> out = new ArrayList<>();
    received.forEach(r -> r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList()))));
    return out;
  }

  @Test
  void withoutAnEndpointThereIsNoSdk() {
    assertThat(ControlPlaneTelemetry.create(new ControlPlaneConfig.Telemetry(""))).isSameAs(ControlPlaneTelemetry.noop());
  }

  @Test
  void oneReconcileIsOneTraceWithItsPhasesAsChildren() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    try (ControlPlaneTelemetry t = ControlPlaneTelemetry.create(new ControlPlaneConfig.Telemetry("127.0.0.1:" + server.getPort()))) {
      try (ControlPlaneTelemetry.Reconcile r = t.startReconcile()) {
        try (ControlPlaneTelemetry.Phase p = r.phase(ControlPlaneTelemetry.LOAD)) {
          p.attribute(ControlPlaneTelemetry.OBJECTS, 9);
        }
        r.phase(ControlPlaneTelemetry.PUBLISH).close();
        r.attribute(ControlPlaneTelemetry.RESPONSES, 4);
      }
    }
    List<Span> spans = spans();
    assertThat(spans).extracting(Span::getName).containsExactlyInAnyOrder("reconcile", "load", "publish");
    Span root = spans.stream().filter(s -> s.getName().equals("reconcile")).findFirst().orElseThrow();
    assertThat(root.getParentSpanId()).isEqualTo(ByteString.EMPTY);
    assertThat(attrs(root)).containsEntry("appmeshxds.responses", 4L);
    for (Span s : spans) {
      assertThat(s.getTraceId()).isEqualTo(root.getTraceId());
      if (s != root) {
        assertThat(s.getParentSpanId()).isEqualTo(root.getSpanId());
      }
    }
    assertThat(attrs(spans.stream().filter(s -> s.getName().equals("load")).findFirst().orElseThrow()))
        .containsEntry("appmeshxds.objects", 9L);
    // X-Ray compatible trace id: the first 32 bits are the epoch second.
    long idTime = Long.parseLong(HexFormat.of().formatHex(root.getTraceId().toByteArray()).substring(0, 8), 16);
    assertThat(idTime).isBetween(now - 5, now + 60);
    var resource = received.get(0).getResourceSpans(0).getResource().getAttributesList().stream()
        .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
    assertThat(resource).containsEntry("service.name", "appmesh-xds");
  }

  static Map<String, Long> attrs(Span s) {
    return s.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getIntValue()));
  }
}
