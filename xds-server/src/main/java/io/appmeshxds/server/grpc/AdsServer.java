package io.appmeshxds.server.grpc;

import io.envoyproxy.controlplane.server.ExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server carrying ADS (state of the world and delta) and any extra services (the access-log
 * receiver). Responses are written on a small pool of single-thread executors, one per stream, so
 * publishing never serializes or writes on the reconciler's thread and a stream's responses stay
 * ordered; each resource is serialized once however many streams receive it, and a route
 * configuration from its virtual hosts' bytes ({@link ResourceSerializer}).
 */
public final class AdsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdsServer.class);

  private final Server server;
  private final ExecutorService[] writers;

  /**
   * @param credentials TLS for the port ({@link io.appmeshxds.server.tls.ServingFiles#credentials()}), or null for plaintext
   * @param authorization who may receive which node's configuration, or null for no check
   * @param maxConnectionAge null or zero: connections live as long as the proxy keeps them;
   *     otherwise gRPC ends each after this age (+/-10 % jitter, grpc-java's) with a GOAWAY, and
   *     cuts it 5 s later: Envoy and gRPC clients reconnect through the Service, so after a
   *     rollout or a scale-up proxies spread over every replica instead of staying where they landed
   * @param guard enforces the {@link XdsLimits} it was made with; its request-size limit is also the
   *     transport's maximum inbound message size, its per-address stream limit the streams a
   *     connection may carry
   */
  public AdsServer(XdsCache cache, StreamCallbacks callbacks, InetSocketAddress bind, List<BindableService> extra,
      io.grpc.ServerCredentials credentials, ProxyAuthorization authorization, java.time.Duration maxConnectionAge,
      StreamGuard guard, XdsLimits limits) {
    int n = Math.max(2, Runtime.getRuntime().availableProcessors());
    writers = new ExecutorService[n];
    AtomicInteger threadIds = new AtomicInteger();
    for (int i = 0; i < n; i++) {
      writers[i] = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "xds-writer-" + threadIds.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorGroup group = () -> writers[Math.floorMod(next.getAndIncrement(), writers.length)];
    V3DiscoveryServer ds = new V3DiscoveryServer(List.of(callbacks), cache, group, new ResourceSerializer());
    NettyServerBuilder b = (credentials == null ? NettyServerBuilder.forAddress(bind)
        : NettyServerBuilder.forAddress(bind, credentials))
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxInboundMessageSize(limits.maxRequestBytes())
        .maxConcurrentCallsPerConnection(limits.maxStreamsPerPeer())
        .addStreamTracerFactory(guard.sizeTracer())
        // The last interceptor sees a message first: the sticky node is filled in, then the guard
        // bounds it, then authorization reads it.
        .addService(authorization == null
            ? ServerInterceptors.intercept(ds.getAggregatedDiscoveryServiceImpl(), guard, new StickyNodeInterceptor())
            : ServerInterceptors.intercept(ds.getAggregatedDiscoveryServiceImpl(), authorization.interceptor(), guard,
                new StickyNodeInterceptor()));
    if (maxConnectionAge != null && !maxConnectionAge.isZero() && !maxConnectionAge.isNegative()) {
      b.maxConnectionAge(maxConnectionAge.toMillis(), TimeUnit.MILLISECONDS).maxConnectionAgeGrace(5, TimeUnit.SECONDS);
    }
    extra.forEach(b::addService);
    server = b.build();
  }

  public AdsServer start() throws IOException {
    server.start();
    LOG.info("xDS (ADS, SotW and delta) listening on {}", server.getListenSockets());
    return this;
  }

  /** The bound port (for port 0). */
  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /**
   * Graceful: stop accepting, give unary calls half a second, then end the (never-ending) ADS
   * streams so proxies reconnect, to another replica if there is one.
   */
  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(500, TimeUnit.MILLISECONDS)) {
      server.shutdownNow();
      server.awaitTermination(2, TimeUnit.SECONDS);
    }
    for (ExecutorService w : writers) {
      w.shutdown();
    }
  }
}
