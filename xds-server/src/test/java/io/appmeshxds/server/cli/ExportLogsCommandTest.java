package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code export-logs}: usage errors exit 2; a run receives ALS entries, ships them, and exits 0 when stopped. */
class ExportLogsCommandTest {
  @TempDir Path dir;

  record Out(int code, String out, String err) {}

  static Out run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] full = new String[args.length + 1];
    full[0] = "export-logs";
    System.arraycopy(args, 0, full, 1, args.length);
    return new Out(cl.execute(full), out.toString(), err.toString());
  }

  @Test
  void badUsageExitsTwo() throws Exception {
    assertThat(run().code()).as("--config is required").isEqualTo(2);
    assertThat(run("--config", dir.resolve("missing.yaml").toString()).code()).isEqualTo(2);
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "logging:\n  cloudWatch:\n    enabeld: true\n");
    Out o = run("--config", bad.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("logging.cloudWatch.enabeld");
    Path good = Files.writeString(dir.resolve("good.yaml"), "logging:\n  cloudWatch:\n    enabled: true\n");
    assertThat(run("--config", good.toString(), "--listen", "18001").code()).isEqualTo(2);
    assertThat(run("--config", good.toString(), "--listen", "127.0.0.1:99999").code()).isEqualTo(2);
  }

  @Test
  void receivesShipsAndExitsZeroOnStop() throws Exception {
    List<String> targets = new CopyOnWriteArrayList<>();
    AtomicInteger events = new AtomicInteger();
    HttpServer cw = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    cw.setExecutor(Executors.newFixedThreadPool(2));
    cw.createContext("/", x -> {
      String op = x.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode body = JsonMapper.shared().readTree(x.getRequestBody().readAllBytes());
      targets.add(op);
      if ("Logs_20140328.PutLogEvents".equals(op)) {
        events.addAndGet(body.path("logEvents").size());
      }
      byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      x.sendResponseHeaders(200, out.length);
      x.getResponseBody().write(out);
      x.close();
    });
    cw.start();
    Path config = Files.writeString(dir.resolve("c.yaml"), "logging:\n  cloudWatch:\n    enabled: true\n"
        + "    region: us-east-1\n    endpoint: http://127.0.0.1:" + cw.getAddress().getPort() + "\n");
    System.setProperty("aws.accessKeyId", "AKIDTEST");
    System.setProperty("aws.secretAccessKey", "SECRETTEST");
    ExportLogsCommand cmd = new ExportLogsCommand();
    CommandLine cl = new CommandLine(cmd);
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    AtomicInteger code = new AtomicInteger(-1);
    Thread t = new Thread(() -> code.set(cl.execute("--config", config.toString(), "--listen", "127.0.0.1:0",
        "--admin-listen", "127.0.0.1:0", "--buffer-dir", dir.resolve("buf").toString())));
    try {
      t.start();
      io.appmeshxds.server.testing.Await.until(() -> cmd.port() != 0 || !t.isAlive(), 5_000);
      assertThat(cmd.port()).as("ALS port bound (exit code " + code.get() + ")").isPositive();
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", cmd.port()).usePlaintext().build();
      CountDownLatch done = new CountDownLatch(1);
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      StreamObserver<StreamAccessLogsMessage> s = AccessLogServiceGrpc.newStub(ch).streamAccessLogs(
          new StreamObserver<StreamAccessLogsResponse>() {
            @Override
            public void onNext(StreamAccessLogsResponse r) {}

            @Override
            public void onError(Throwable e) {
              errors.add(e);
              done.countDown();
            }

            @Override
            public void onCompleted() {
              done.countDown();
            }
          });
      StreamAccessLogsMessage.Builder m = StreamAccessLogsMessage.newBuilder();
      m.getIdentifierBuilder().setNode(Node.newBuilder().setId("mesh/shop/virtualNode/front_shop")).setLogName("front_shop");
      long now = System.currentTimeMillis();
      for (int i = 0; i < 10; i++) {
        m.getHttpLogsBuilder().addLogEntry(HTTPAccessLogEntry.newBuilder()
            .setCommonProperties(AccessLogCommon.newBuilder().setStartTime(Timestamp.newBuilder().setSeconds(now / 1000)))
            .setRequest(HTTPRequestProperties.newBuilder().setPath("/x/" + i).setRequestId("r" + i)));
      }
      s.onNext(m.build());
      s.onCompleted();
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      // /metrics on --admin-listen: the exporter's counters once CloudWatch has the events; probes open.
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.URI metrics = java.net.URI.create("http://127.0.0.1:" + cmd.adminPort() + "/metrics");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String scrape;
      do {
        scrape = http.send(java.net.http.HttpRequest.newBuilder(metrics).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      } while (!scrape.contains("appmeshxds_accesslogs_sent_total 10.0") && System.nanoTime() < deadline);
      assertThat(scrape).contains("appmeshxds_accesslogs_received_total 10.0", "appmeshxds_accesslogs_sent_total 10.0",
          "appmeshxds_accesslogs_dropped_total 0.0", "appmeshxds_accesslogs_retried_total 0.0",
          "appmeshxds_accesslogs_corrupt_total 0.0");
      assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + cmd.adminPort()
          + "/healthz")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      ch.shutdownNow();
      cmd.stop(); // as SIGTERM would: flush within the deadline, then exit
      t.join(20_000);
      assertThat(code.get()).isZero();
      assertThat(events.get()).isEqualTo(10);
      assertThat(targets).containsOnly("Logs_20140328.PutLogEvents");
      assertThat(errors).as("the ALS stream ends cleanly").isEmpty();
      assertThat(out.toString()).contains("gRPC access log service on 127.0.0.1:").contains("export-logs stopped")
          .contains("metrics:         http://127.0.0.1:" + cmd.adminPort() + "/metrics");
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
      cw.stop(0);
    }
  }

  @Test
  void aBufferDirectoryThatCannotBeUsedIsOneLineAndExitTwo() throws Exception {
    Path good = Files.writeString(dir.resolve("good.yaml"), "logging:\n  cloudWatch:\n    enabled: true\n"
        + "    region: us-east-1\n    endpoint: http://127.0.0.1:9\n");
    Path planted = Files.createDirectory(dir.resolve("planted"));
    Files.setPosixFilePermissions(planted, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    for (Path bad : List.of(planted, file, file.resolve("sub"))) {
      Out o = run("--config", good.toString(), "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
          "--buffer-dir", bad.toString());
      assertThat(o.code()).as(bad.toString()).isEqualTo(2);
      assertThat(o.err().strip().lines()).as(o.err()).hasSize(1)
          .allMatch(l -> l.startsWith("export-logs: access-log buffer directory " + bad));
      assertThat(o.err()).doesNotContain("Exception", "\tat ");
    }
  }
}
