package io.appmeshxds.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and stalled clients cannot starve the probes: a liveness probe (kubelet's default timeout:
 * 1 s) must be answered while hundreds of connections hang half-way through their request line,
 * while both workers are stuck in slow views, and while a client does not read its response.
 */
class AdminUnderLoadTest {
  /** The budget for one /healthz while the abuse runs: the kubelet's default probe timeout. */
  static final long PROBE_BUDGET_MS = 1_000;

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final List<Socket> stalled = new ArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);
  AdminServer admin;

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    for (Socket s : stalled) {
      s.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  AdminServer start(AdminServer.Options o, String bigMetrics) throws IOException {
    admin = new AdminServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> true,
        () -> bigMetrics != null ? bigMetrics : registry.scrape(), q -> {
          try {
            release.await(); // a view that never finishes while the test runs
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new AdminServer.Reply(200, "text/plain", "late\n");
        }, () -> "{}", o.withRegistry(registry)).start();
    return admin;
  }

  /** Opens a connection that sends part of a request line and never finishes it. */
  Socket stall(int port, String partial) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    stalled.add(s);
    return s;
  }

  /** The slowest of {@code n} sequential /healthz answers, in ms (each must be a 200). */
  static long slowestHealthz(int port, int n) throws IOException {
    long worst = 0;
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      Http.Answer a = Http.get(port, "/healthz");
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(a.code()).isEqualTo(200);
      worst = Math.max(worst, ms);
    }
    return worst;
  }

  @Test
  void twoHundredStalledRequestLinesDoNotDelayHealthz() throws Exception {
    int port = start(AdminServer.Options.defaults(), null).port();
    for (int i = 0; i < 200; i++) {
      stall(port, i % 2 == 0 ? "GET /hea" : "GET /config_dump?node=mesh/m/virtualNode/a HTTP/1.1\r\nHost: x\r\n");
    }
    long worst = slowestHealthz(port, 50);
    System.out.printf("200 stalled connections: slowest of 50 /healthz %d ms%n", worst);
    assertThat(worst).isLessThan(PROBE_BUDGET_MS);
    assertThat(Http.get(port, "/ready").code()).isEqualTo(200);
  }

  @Test
  void pastTheConnectionLimitTheOldestStalledConnectionMakesRoom() throws Exception {
    int port = start(AdminServer.Options.defaults().withLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), 16), null)
        .port();
    for (int i = 0; i < 64; i++) {
      stall(port, "GET /healthz HTTP/1.1\r\n");
    }
    long worst = slowestHealthz(port, 20);
    System.out.printf("64 stalled connections, limit 16: slowest of 20 /healthz %d ms%n", worst);
    assertThat(worst).isLessThan(PROBE_BUDGET_MS);
    assertThat(registry.scrape()).containsPattern("appmeshxds_admin_connections_closed_total\\{reason=\"evicted\"} [1-9]");
    assertThat(registry.scrape()).containsPattern("appmeshxds_admin_connections [0-9]+\\.0");
    assertThat(admin.port()).isEqualTo(port);
  }

  @Test
  void clientsThatDoNotTakeTheirResponsesCannotFillTheConnectionLimit() throws Exception {
    String big = "y".repeat(8 << 20); // more than loopback socket buffers hold: the server keeps writing
    int port = start(AdminServer.Options.defaults().withLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), 4), big)
        .port();
    for (int i = 0; i < 8; i++) {
      Socket s = stall(port, "GET /metrics HTTP/1.1\r\n\r\n");
      s.setSoTimeout(10_000);
      s.getInputStream().read(); // its response has started: the server is writing to it
    }
    long worst = slowestHealthz(port, 20);
    System.out.printf("8 clients not taking 8 MiB responses, limit 4: slowest of 20 /healthz %d ms%n", worst);
    assertThat(worst).isLessThan(PROBE_BUDGET_MS);
    assertThat(registry.scrape()).containsPattern("appmeshxds_admin_connections_closed_total\\{reason=\"evicted\"} ([4-9]|[1-9][0-9])");
  }

  @Test
  void aStalledHeadIsClosedAtTheHeaderTimeout() throws Exception {
    int port = start(AdminServer.Options.defaults().withLimits(Duration.ofMillis(300), Duration.ofSeconds(30), 256), null)
        .port();
    Socket s = stall(port, "GET /heal");
    s.setSoTimeout(10_000);
    long t0 = System.nanoTime();
    InputStream in = s.getInputStream();
    assertThat(in.read()).as("closed by the server without an answer").isEqualTo(-1);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.printf("stalled head closed after %d ms (timeout 300 ms)%n", ms);
    assertThat(ms).isBetween(250L, 5_000L);
    assertThat(registry.scrape()).contains("appmeshxds_admin_connections_closed_total{reason=\"header_timeout\"} 1.0");
  }

  @Test
  void slowViewsOnBothWorkersAndAFullQueueLeaveProbesAnswered() throws Exception {
    int port = start(AdminServer.Options.defaults(), null).port();
    // 2 workers + a queue of 64 hold 66 views that wait for the latch; the other 34 get a 503 at once.
    for (int i = 0; i < 100; i++) {
      stall(port, "GET /config_dump?node=n HTTP/1.1\r\n\r\n");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!registry.scrape().contains("reason=\"busy\"} 34.0") && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(registry.scrape()).contains("appmeshxds_admin_connections_closed_total{reason=\"busy\"} 34.0");
    long worst = slowestHealthz(port, 20);
    System.out.printf("workers and queue full: slowest of 20 /healthz %d ms%n", worst);
    assertThat(worst).isLessThan(PROBE_BUDGET_MS);
    release.countDown();
    int late = 0;
    int busy = 0;
    for (Socket s : stalled) {
      s.setSoTimeout(10_000);
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      late += answer.startsWith("HTTP/1.1 200 ") && answer.endsWith("late\n") ? 1 : 0;
      busy += answer.startsWith("HTTP/1.1 503 ") ? 1 : 0;
    }
    assertThat(late).isEqualTo(66);
    assertThat(busy).isEqualTo(34);
  }

  @Test
  void aClientThatDoesNotReadItsResponseIsClosedAtTheWriteTimeout() throws Exception {
    String big = "x".repeat(32 << 20); // far more than socket buffers hold
    int port = start(AdminServer.Options.defaults().withLimits(Duration.ofSeconds(10), Duration.ofMillis(500), 256), big)
        .port();
    Socket s = stall(port, "GET /metrics HTTP/1.1\r\n\r\n");
    long t0 = System.nanoTime();
    long worst = slowestHealthz(port, 20);
    System.out.printf("a client not reading a 32 MiB response: slowest of 20 /healthz %d ms%n", worst);
    assertThat(worst).isLessThan(PROBE_BUDGET_MS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!registry.scrape().contains("reason=\"write_timeout\"} 1.0") && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(registry.scrape()).contains("appmeshxds_admin_connections_closed_total{reason=\"write_timeout\"} 1.0");
    System.out.printf("closed at the write timeout (500 ms) after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    s.setSoTimeout(5_000);
    InputStream in = s.getInputStream();
    long read = 0;
    try {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        read += n;
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // reset by the server: fine
    }
    System.out.printf("the reader got %d of %d bytes%n", read, 32L << 20);
    assertThat(read).as("the response was cut off").isLessThan(32L << 20);
  }
}
