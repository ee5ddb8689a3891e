package io.appmeshxds.tracing.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * End to end on loopback: a real ALS client (the api jar's {@code AccessLogServiceGrpc} stub over
 * grpc-netty) streams HTTP entries into the exporter's gRPC server, which ships them through the real
 * SDK client to {@link FakeCloudWatch}.
 */
class AlsExportTest {
  static final int STREAMS = 4;
  static final int PER_STREAM = 25_000;
  static final int PER_MESSAGE = 100;

  @TempDir Path dir;

  @Test
  void hundredThousandHttpEntriesArriveExactlyOnce() throws Exception {
    try (FakeCloudWatch cw = new FakeCloudWatch()) {
      ControlPlaneConfig.CloudWatch cfg = new ControlPlaneConfig.CloudWatch(true, "us-east-1", cw.endpoint(), null, null,
          null, dir.toString(), null);
      AccessLogExport export = AccessLogExport.start(cfg, cw.client(), new InetSocketAddress("127.0.0.1", 0), dir,
          new SimpleMeterRegistry(), ExporterClock.system());
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", export.port()).usePlaintext().build();
      long t0 = System.currentTimeMillis() - 60_000;
      long start = System.nanoTime();
      CountDownLatch done = new CountDownLatch(STREAMS);
      java.util.List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int s = 0; s < STREAMS; s++) {
        StreamObserver<StreamAccessLogsMessage> out = AccessLogServiceGrpc.newStub(ch).streamAccessLogs(
            new StreamObserver<StreamAccessLogsResponse>() {
              @Override
              public void onNext(StreamAccessLogsResponse r) {}

              @Override
              public void onError(Throwable t) {
                errors.add(t);
                done.countDown();
              }

              @Override
              public void onCompleted() {
                done.countDown();
              }
            });
        for (int m = 0; m < PER_STREAM / PER_MESSAGE; m++) {
          StreamAccessLogsMessage.Builder msg = StreamAccessLogsMessage.newBuilder();
          if (m == 0) {
            msg.getIdentifierBuilder().setNode(AlsEntries.node("mesh/shop/virtualNode/front_shop", "front-" + s))
                .setLogName("front_shop");
          }
          StreamAccessLogsMessage.HTTPAccessLogEntries.Builder entries = msg.getHttpLogsBuilder();
          for (int i = 0; i < PER_MESSAGE; i++) {
            int n = m * PER_MESSAGE + i;
            entries.addLogEntry(AlsEntries.http(t0 + n, "req-" + s + "-" + n, "/api/items/" + n));
          }
          out.onNext(msg.build());
        }
        out.onCompleted();
      }
      assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
      assertThat(errors).as("streams end cleanly").isEmpty();
      long received = System.nanoTime();
      assertThat(export.exporter().flush(Duration.ofSeconds(120))).isTrue();
      long end = System.nanoTime();
      ExporterMetrics metrics = export.exporter().metrics();
      int total = STREAMS * PER_STREAM;
      double seconds = (end - start) / 1e9;
      System.out.printf("REPORT als-export: %d HTTP entries over %d ALS streams -> %d PutLogEvents calls: "
          + "received in %.2f s, delivered in %.2f s = %.0f entries/s end to end (%s)%n", total, STREAMS, cw.putCalls.get(),
          (received - start) / 1e9, seconds, total / seconds, metrics);
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      assertThat(export.close(Duration.ofSeconds(10))).isTrue();

      Map<String, Integer> seen = new HashMap<>();
      for (int s = 0; s < STREAMS; s++) {
        List<FakeCloudWatch.Event> events = cw.events("/appmesh/shop/front_shop", "front_shop/front-" + s);
        assertThat(events).as("stream of pod front-%d", s).hasSize(PER_STREAM);
        for (FakeCloudWatch.Event e : events) {
          JsonNode j = FakeCloudWatch.JSON.readTree(e.message());
          String id = j.get("request_id").asString();
          assertThat(j.get("path").asString()).isEqualTo("/api/items/" + id.substring(id.lastIndexOf('-') + 1));
          seen.merge(id, 1, Integer::sum);
        }
      }
      assertThat(seen).hasSize(total);
      assertThat(seen.values()).allMatch(c -> c == 1);
      assertThat(metrics.received()).isEqualTo(total);
      assertThat(metrics.sent()).isEqualTo(total);
      assertThat(metrics.dropped() + metrics.rejected()).isZero();
      assertThat(cw.violations).isEmpty();
    }
  }
}
