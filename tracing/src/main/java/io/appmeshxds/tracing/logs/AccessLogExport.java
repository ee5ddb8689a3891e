package io.appmeshxds.tracing.logs;

import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * A running exporter: the ALS gRPC server on its own port, the receiver, the queue and the
 * sender. {@code export-logs} runs only this; {@code serve} runs the same when
 * {@code logging.cloudWatch.enabled}.
 */
public final class AccessLogExport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogExport.class);

  /** Default listen address of {@code export-logs}; the config's default exporter address uses port 18001 too. */
  public static final int DEFAULT_PORT = 18001;

  private final Server server;
  private final LogExporter exporter;
  private final CloudWatchLogsClient client;

  private AccessLogExport(Server server, LogExporter exporter, CloudWatchLogsClient client) {
    this.server = server;
    this.exporter = exporter;
    this.client = client;
  }

  /** The buffer directory: {@code override}, else {@code logging.cloudWatch.bufferDir}, else a fixed one under java.io.tmpdir. */
  public static Path bufferDir(ControlPlaneConfig.CloudWatch cw, Path override) {
    if (override != null) {
      return override;
    }
    if (!cw.bufferDir().isEmpty()) {
      return Path.of(cw.bufferDir());
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "appmesh-xds-access-logs");
  }

  /**
   * Creates the buffer directory private (0700) or checks an existing one; throws an
   * {@link IOException} with a one-line message when it is someone else's or writable by others.
   */
  public static void prepareBufferDir(Path dir) throws IOException {
    SpillDirectory.prepare(dir);
  }

  /** Starts with the SDK's default client for {@code cw}. */
  public static AccessLogExport start(ControlPlaneConfig.CloudWatch cw, InetSocketAddress listen, Path bufferDir,
      MeterRegistry registry) throws IOException {
    return start(cw, listen, bufferDir, registry, null);
  }

  /**
   * As {@link #start(ControlPlaneConfig.CloudWatch, InetSocketAddress, Path, MeterRegistry)}, with the
   * port's transport security.
   *
   * @param credentials TLS for the ALS port, or null for plaintext
   */
  public static AccessLogExport start(ControlPlaneConfig.CloudWatch cw, InetSocketAddress listen, Path bufferDir,
      MeterRegistry registry, io.grpc.ServerCredentials credentials) throws IOException {
    return start(cw, CloudWatchClients.create(cw), listen, bufferDir, registry, ExporterClock.system(), credentials);
  }

  /** Starts with a given client (tests: loopback endpoint, static credentials). */
  public static AccessLogExport start(ControlPlaneConfig.CloudWatch cw, CloudWatchLogsClient client,
      InetSocketAddress listen, Path bufferDir, MeterRegistry registry, ExporterClock clock) throws IOException {
    return start(cw, client, listen, bufferDir, registry, clock, null);
  }

  /** As above, with TLS for the ALS port (null: plaintext). */
  public static AccessLogExport start(ControlPlaneConfig.CloudWatch cw, CloudWatchLogsClient client,
      InetSocketAddress listen, Path bufferDir, MeterRegistry registry, ExporterClock clock,
      io.grpc.ServerCredentials credentials) throws IOException {
    return start(cw, client, listen, bufferDir, registry, clock, credentials, java.util.List.of());
  }

  /**
   * With the SDK's default client, TLS and interceptors around the ALS service (e.g. the proxy
   * authorization of {@code serve}: a stream may send entries only for its own node).
   */
  public static AccessLogExport start(ControlPlaneConfig.CloudWatch cw, InetSocketAddress listen, Path bufferDir,
      MeterRegistry registry, io.grpc.ServerCredentials credentials, java.util.List<io.grpc.ServerInterceptor> interceptors)
      throws IOException {
    return start(cw, CloudWatchClients.create(cw), listen, bufferDir, registry, ExporterClock.system(), credentials,
        interceptors);
  }

  /** As above, with a given client and clock. */
  public static AccessLogExport start(ControlPlaneConfig.CloudWatch cw, CloudWatchLogsClient client,
      InetSocketAddress listen, Path bufferDir, MeterRegistry registry, ExporterClock clock,
      io.grpc.ServerCredentials credentials, java.util.List<io.grpc.ServerInterceptor> interceptors) throws IOException {
    LogExporter.Settings s = LogExporter.Settings.of(bufferDir, (long) cw.diskBudgetMb() << 20, cw.retentionDays());
    LogExporter exporter = new LogExporter(client, s, clock, registry).start();
    AlsReceiver receiver = new AlsReceiver(exporter, cw.logGroup(), clock);
    Server server = (credentials == null ? NettyServerBuilder.forAddress(listen)
        : NettyServerBuilder.forAddress(listen, credentials))
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxInboundMessageSize(16 * 1024 * 1024)
        .addService(interceptors.isEmpty() ? receiver.bindable().bindService()
            : io.grpc.ServerInterceptors.intercept(receiver.bindable(), interceptors))
        .build();
    try {
      server.start();
    } catch (IOException e) {
      try {
        exporter.close(Duration.ZERO);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      client.close();
      throw e;
    }
    LOG.info("access-log exporter (gRPC ALS) listening on {}; log group {}; region {}{}; buffer {}",
        server.getListenSockets(), cw.logGroup(), cw.region(), cw.endpoint().isEmpty() ? "" : " at " + cw.endpoint(),
        bufferDir);
    return new AccessLogExport(server, exporter, client);
  }

  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  public LogExporter exporter() {
    return exporter;
  }

  /**
   * Stops accepting streams (Envoy reconnects elsewhere or later), then flushes within
   * {@code deadline} and keeps the rest on disk. Returns whether everything was sent.
   */
  public boolean close(Duration deadline) throws InterruptedException {
    long start = System.nanoTime();
    server.shutdown();
    if (!server.awaitTermination(500, TimeUnit.MILLISECONDS)) {
      server.shutdownNow(); // ALS streams never end by themselves
      server.awaitTermination(2, TimeUnit.SECONDS);
    }
    Duration left = deadline.minusNanos(System.nanoTime() - start);
    boolean drained = exporter.close(left.isNegative() ? Duration.ZERO : left);
    client.close();
    return drained;
  }

  @Override
  public void close() throws InterruptedException {
    close(Duration.ofSeconds(10));
  }
}
