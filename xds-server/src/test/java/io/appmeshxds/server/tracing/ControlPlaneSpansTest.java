package io.appmeshxds.server.tracing;

import static io.appmeshxds.server.testing.AdsTestClient.RDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's own spans, received by a loopback OTLP/gRPC collector (grpc-java with the
 * api jar's TraceService): the bundled podinfo mesh is served, an Envoy-like client connects, a
 * router weight changes; the trace of that reconcile has its phases as children and says how many
 * proxies were translated and published and how many responses went out.
 */
class ControlPlaneSpansTest {
  static final Path EXAMPLE = Path.of("..", "deploy", "examples", "podinfo");
  static final List<String> PHASES = List.of("load", "validate", "plan", "translate", "publish");

  final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  Server collector;
  @TempDir Path dir;

  @BeforeEach
  void collector() throws Exception {
    collector = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
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
    collector.shutdownNow();
  }

  @Test
  void eachReconcileIsOneTraceWithItsPhasesAndCounts() throws Exception {
    try (Stream<Path> files = Files.list(EXAMPLE)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    ControlPlaneTelemetry telemetry = ControlPlaneTelemetry.create(
        new ControlPlaneConfig.Telemetry("http://127.0.0.1:" + collector.getPort()));
    ControlPlane cp = new ControlPlane(Pipelines.standard(), ControlPlane.Settings.loopback(), List.of(), List.of())
        .telemetry(telemetry).start();
    try (ManifestSource source = new ManifestSource(List.of(dir), cp.store(), 50).start();
        AdsTestClient client = new AdsTestClient(cp.xdsPort(), MeshFiles.LOADTESTER, false).start()) {
      // The baseline once the client holds what was published for it last: no build is in flight.
      var lt = io.appmeshxds.translator.plan.NodeKey.sidecar("appmesh", "flagger-loadtester_demo");
      await(() -> client.complete() && client.caughtUpWith(cp.cache().get(lt)));
      long builds = cp.reconciler().builds();
      int objects = cp.store().snapshot().objects().size();
      String rds = client.version(RDS);
      Path podinfo = dir.resolve("podinfo.yaml");
      String text = Files.readString(podinfo);
      String weights = "              weight: 0\n            - virtualNodeRef:\n                name: podinfo-primary\n"
          + "              weight: 100\n";
      assertThat(text).contains(weights);
      Path tmp = dir.resolve(".podinfo.yaml.part");
      Files.writeString(tmp, text.replaceFirst(weights, weights.replace("weight: 0", "weight: 10").replace("weight: 100", "weight: 90")));
      Files.move(tmp, podinfo, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      await(() -> !rds.equals(client.version(RDS)) && cp.reconciler().builds() > builds);
      // The event: the change's reconcile span and all its phases were exported (a span is exported
      // when it ends, which may come just after the build is counted).
      await(() -> {
        telemetry.flush(10_000);
        List<Span> all = spans();
        return all.stream().anyMatch(r -> r.getName().equals("reconcile") && Long.valueOf(builds + 1).equals(attrs(r).get("appmeshxds.build"))
            && all.stream().filter(c -> c.getTraceId().equals(r.getTraceId()) && c != r).count() >= PHASES.size());
      });

      List<Span> spans = spans();
      List<Span> roots = spans.stream().filter(s -> s.getName().equals("reconcile")).toList();
      assertThat(roots).hasSizeGreaterThanOrEqualTo(2);
      for (Span root : roots) {
        assertThat(root.getParentSpanId()).isEqualTo(ByteString.EMPTY);
        List<Span> children = spans.stream().filter(s -> s.getTraceId().equals(root.getTraceId()) && s != root).toList();
        assertThat(children).extracting(Span::getName).containsExactlyInAnyOrderElementsOf(PHASES);
        assertThat(children).allSatisfy(c -> assertThat(c.getParentSpanId()).isEqualTo(root.getSpanId()));
        assertThat(children).allSatisfy(c -> assertThat(c.getStartTimeUnixNano()).isGreaterThanOrEqualTo(root.getStartTimeUnixNano()));
      }
      // The build of the weight change: only connected proxies are planned, so one proxy group's
      // routes changed (the one client's), and one response went to it.
      Span change = roots.stream().filter(r -> attrs(r).get("appmeshxds.build") == builds + 1).findFirst().orElseThrow();
      Map<String, Long> a = attrs(change);
      assertThat(a).containsEntry("appmeshxds.objects", (long) objects)
          .containsEntry("appmeshxds.proxies", (long) cp.cache().keys().size())
          .containsEntry("appmeshxds.proxies.translated", 1L)
          .containsEntry("appmeshxds.proxies.published", 1L)
          .containsEntry("appmeshxds.responses", 1L);
      Span publish = child(spans, change, "publish");
      assertThat(attrs(publish)).containsEntry("appmeshxds.proxies.published", 1L).containsEntry("appmeshxds.responses", 1L)
          .containsEntry("appmeshxds.proxies.withheld", 0L);
      assertThat(attrs(child(spans, change, "load"))).containsEntry("appmeshxds.objects", (long) objects);
      assertThat(attrs(child(spans, change, "validate"))).containsEntry("appmeshxds.objects.rejected", 0L);
    } finally {
      cp.close();
    }
  }

  static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    io.appmeshxds.server.testing.Await.until(condition, 20_000);
  }

  List<Span> spans() {
    List<Span> out = new ArrayList<>();
    received.forEach(r -> r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList()))));
    return out;
  }

  static Span child(List<Span> spans, Span root, String name) {
    return spans.stream().filter(s -> s.getTraceId().equals(root.getTraceId()) && s.getName().equals(name)).findFirst().orElseThrow();
  }

  static Map<String, Long> attrs(Span s) {
    return s.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getIntValue()));
  }
}
