package io.appmeshxds.tracing.logs;

import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy's gRPC Access Log Service ({@code envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs}):
 * the first message of a stream names the proxy ({@code identifier.node}, {@code log_name}), which
 * picks the log group and stream; every HTTP or TCP entry becomes one JSON event queued on the
 * {@link LogExporter}. The stream is answered only when Envoy closes it (the protocol has no acks).
 * Bind it with {@link #bindable()} so the peer address is known.
 */
public final class AlsReceiver extends AccessLogServiceGrpc.AccessLogServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(AlsReceiver.class);
  private static final Context.Key<String> PEER_IP = Context.key("appmeshxds-als-peer-ip");

  private final LogExporter exporter;
  private final String groupPattern;
  private final ExporterClock clock;
  private final AtomicLong streams = new AtomicLong();

  /**
   * @param exporter where events go
   * @param groupPattern {@code logging.cloudWatch.logGroup}, e.g. {@code /appmesh/{mesh}/{virtualNode}}
   * @param clock "now" for entries without a start time
   */
  public AlsReceiver(LogExporter exporter, String groupPattern, ExporterClock clock) {
    this.exporter = exporter;
    this.groupPattern = groupPattern;
    this.clock = clock;
  }

  /** This service with an interceptor that records the peer's IP address (the instance fallback). */
  public BindableService bindable() {
    ServerInterceptor peer = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        SocketAddress a = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String ip = a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress() : null;
        return Contexts.interceptCall(Context.current().withValue(PEER_IP, ip), call, headers, next);
      }
    };
    return () -> ServerInterceptors.intercept(this, peer);
  }

  @Override
  public StreamObserver<StreamAccessLogsMessage> streamAccessLogs(StreamObserver<StreamAccessLogsResponse> response) {
    String peer = PEER_IP.get();
    long number = streams.incrementAndGet();
    return new StreamObserver<>() {
      private ProxyIdentity who;
      private LogTarget target;

      @Override
      public void onNext(StreamAccessLogsMessage m) {
        if (who == null) {
          who = ProxyIdentity.of(m.getIdentifier().getNode(), m.getIdentifier().getLogName(), peer, number);
          target = who.target(groupPattern);
          LOG.info("access-log stream from {} (node {}, log_name {}) -> {} {}", peer, m.getIdentifier().getNode().getId(),
              m.getIdentifier().getLogName(), target.group(), target.stream());
        }
        long now = clock.millis();
        List<LogEvent> events = new ArrayList<>(Math.max(m.getHttpLogs().getLogEntryCount(),
            m.getTcpLogs().getLogEntryCount()));
        try {
          for (HTTPAccessLogEntry e : m.getHttpLogs().getLogEntryList()) {
            events.add(EventFormatter.http(e, who, now));
          }
          for (TCPAccessLogEntry e : m.getTcpLogs().getLogEntryList()) {
            events.add(EventFormatter.tcp(e, who, now));
          }
        } catch (RuntimeException e) {
          LOG.warn("access-log stream from {}: cannot format an entry: {}", who, e.toString());
        }
        if (!events.isEmpty()) {
          exporter.offer(target, events);
        }
      }

      @Override
      public void onError(Throwable t) {
        LOG.debug("access-log stream from {} ended: {}", who, t.toString());
      }

      @Override
      public void onCompleted() {
        response.onNext(StreamAccessLogsResponse.getDefaultInstance()); // a client-streaming call answers once
        response.onCompleted();
      }
    };
  }
}
