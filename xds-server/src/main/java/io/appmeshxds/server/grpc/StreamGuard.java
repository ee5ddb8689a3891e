package io.appmeshxds.server.grpc;

import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerStreamTracer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xDS port's first line: enforces {@link XdsLimits} before a request reaches java-control-plane
 * or the cache. Streams over the per-address or total limit are refused at once (no stream state
 * is made); a request naming too many resources or carrying an over-long or oversized node ends its
 * stream with {@code RESOURCE_EXHAUSTED}/{@code INVALID_ARGUMENT}; a request for a type we do not
 * serve is dropped (no watch, no state; the client waits as it would for a type with no resources);
 * an over-long version, nonce or NACK text is cut before anything can keep it. Every case counts in
 * {@code appmeshxds_xds_limited_total{reason}} and logs a rate-limited line.
 *
 * <p>Why an interceptor: it sees each message once, on the stream's own serialized callback thread,
 * before java-control-plane stores it as the stream's latest request.
 */
public final class StreamGuard implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(StreamGuard.class);

  /** Why a request or stream was limited; the metric's {@code reason} tag. */
  public enum Reason {
    STREAMS_PER_PEER,
    STREAMS_TOTAL,
    REQUEST_SIZE,
    RESOURCE_NAMES,
    NODE_ID,
    NODE_SIZE,
    UNKNOWN_TYPE,
    VERSION_TEXT,
    NACK_TEXT;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Set<String> SERVED_TYPES = new HashSet<>();

  static {
    for (io.appmeshxds.translator.xds.XdsResources.Type t : io.appmeshxds.translator.xds.XdsResources.Type.values()) {
      SERVED_TYPES.add(t.typeUrl());
    }
  }

  private final XdsLimits limits;
  private final Map<Object, Integer> perPeer = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
  private final Map<Reason, RateLimitedLog> logs = new EnumMap<>(Reason.class);

  /**
   * grpc-java logs every oversized request with a stack trace (java.util.logging, WARNING): a client
   * could fill the log at will. Those records are dropped; {@link #sizeTracer()} counts the case and
   * logs a rate-limited line instead. Held here because java.util.logging keeps loggers weakly.
   */
  private static final java.util.logging.Logger GRPC_STREAM_LOG =
      java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

  static {
    java.util.logging.Filter previous = GRPC_STREAM_LOG.getFilter();
    GRPC_STREAM_LOG.setFilter(r -> !(r.getThrown() instanceof io.grpc.StatusRuntimeException e
        && e.getStatus().getCode() == io.grpc.Status.Code.RESOURCE_EXHAUSTED) && (previous == null || previous.isLoggable(r)));
  }

  public StreamGuard(XdsLimits limits, MeterRegistry metrics) {
    this.limits = limits;
    for (Reason r : Reason.values()) {
      counters.put(r, Counter.builder("appmeshxds_xds_limited_total")
          .description("xDS streams refused or ended, and requests dropped or cut, by the limit that triggered")
          .tag("reason", r.tag()).register(metrics));
      logs.put(r, new RateLimitedLog(limits.logLinesPerMinute()));
    }
    Gauge.builder("appmeshxds_xds_streams", total, AtomicInteger::get).description("ADS streams open (all peers)")
        .register(metrics);
    Gauge.builder("appmeshxds_xds_stream_peers", perPeer, Map::size).description("Peer addresses with an open ADS stream")
        .register(metrics);
  }

  /** Open streams counted by the guard. */
  public int streams() {
    return total.get();
  }

  /** Peer addresses with an open stream (the guard's only per-client map). */
  public int peers() {
    return perPeer.size();
  }

  /**
   * Counts requests the transport refused for their size (the deframer ends such a stream before
   * any interceptor sees the message).
   */
  public ServerStreamTracer.Factory sizeTracer() {
    return new ServerStreamTracer.Factory() {
      @Override
      public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return new ServerStreamTracer() {
          @Override
          public void streamClosed(io.grpc.Status status) {
            String d = status.getDescription();
            if (status.getCode() == io.grpc.Status.Code.RESOURCE_EXHAUSTED && d != null && d.contains("exceeds maximum")) {
              limited(Reason.REQUEST_SIZE, "request over " + limits.maxRequestBytes() + " bytes (" + FlagHint.of(2)
                  + "): " + LogText.escape(d, 200), null);
            }
          }
        };
      }
    };
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Object peer = peerOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    Reason refused = acquire(peer);
    if (refused != null) {
      String what = refused == Reason.STREAMS_TOTAL ? limits.maxStreams() + " streams open in total (" + FlagHint.of(1) + ")"
          : limits.maxStreamsPerPeer() + " streams open from this address (" + FlagHint.of(0) + ")";
      limited(refused, "stream refused: " + what, peer);
      call.close(io.grpc.Status.RESOURCE_EXHAUSTED.withDescription("too many xDS streams: " + what), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    GuardedCall<Q, R> guarded = new GuardedCall<>(call);
    ServerCall.Listener<Q> delegate;
    try {
      delegate = next.startCall(guarded, headers);
    } catch (RuntimeException e) {
      release(peer);
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
      private boolean ended;
      private boolean released;

      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        if (ended) {
          return;
        }
        Object m = message;
        Verdict v = m instanceof DiscoveryRequest r ? check(r) : m instanceof DeltaDiscoveryRequest d ? check(d) : Verdict.PASS;
        if (v.end != null) {
          limited(v.reason, "stream ended: " + v.end, peer);
          ended = true;
          guarded.close(v.status.withDescription(v.end), new Metadata());
          // java-control-plane learns the stream is gone (its watches and our per-stream state go with it).
          super.onCancel();
          return;
        }
        if (v.drop) {
          guarded.request(1);
          return;
        }
        super.onMessage(v.rewritten != null ? (Q) v.rewritten : message);
      }

      @Override
      public void onHalfClose() {
        if (!ended) {
          super.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        done();
        if (!ended) {
          ended = true;
          super.onCancel();
        }
      }

      @Override
      public void onComplete() {
        done();
        if (!ended) {
          ended = true;
          super.onComplete();
        }
      }

      private void done() {
        if (!released) {
          released = true;
          release(peer);
        }
      }
    };
  }

  /** What to do with one request. */
  private record Verdict(Reason reason, io.grpc.Status status, String end, boolean drop, Object rewritten) {
    static final Verdict PASS = new Verdict(null, null, null, false, null);

    static Verdict end(Reason r, io.grpc.Status s, String why) {
      return new Verdict(r, s, why, false, null);
    }
  }

  private Verdict check(DiscoveryRequest r) {
    Verdict v = checkNode(r.hasNode() ? r.getNode() : null);
    if (v != null) {
      return v;
    }
    if (r.getResourceNamesCount() > limits.maxResourceNames()) {
      return names(r.getResourceNamesCount());
    }
    if (!r.getTypeUrl().isEmpty() && !SERVED_TYPES.contains(r.getTypeUrl())) {
      return unknownType(r.getTypeUrl());
    }
    DiscoveryRequest.Builder b = null;
    if (r.getVersionInfo().length() > limits.maxVersionChars() || r.getResponseNonce().length() > limits.maxVersionChars()) {
      limited(Reason.VERSION_TEXT, "version_info/response_nonce of " + Math.max(r.getVersionInfo().length(),
          r.getResponseNonce().length()) + " chars dropped from a request (" + FlagHint.of(6) + ")", null);
      b = r.toBuilder();
      if (r.getVersionInfo().length() > limits.maxVersionChars()) {
        b.clearVersionInfo();
      }
      if (r.getResponseNonce().length() > limits.maxVersionChars()) {
        b.clearResponseNonce();
      }
    }
    if (r.hasErrorDetail() && oversized(r.getErrorDetail())) {
      b = b == null ? r.toBuilder() : b;
      b.setErrorDetail(capped(r.getErrorDetail()));
    }
    return b == null ? Verdict.PASS : new Verdict(null, null, null, false, b.build());
  }

  private Verdict check(DeltaDiscoveryRequest r) {
    Verdict v = checkNode(r.hasNode() ? r.getNode() : null);
    if (v != null) {
      return v;
    }
    int names = r.getResourceNamesSubscribeCount() + r.getResourceNamesUnsubscribeCount() + r.getInitialResourceVersionsCount();
    if (names > limits.maxResourceNames()) {
      return names(names);
    }
    if (!r.getTypeUrl().isEmpty() && !SERVED_TYPES.contains(r.getTypeUrl())) {
      return unknownType(r.getTypeUrl());
    }
    DeltaDiscoveryRequest.Builder b = null;
    if (r.getResponseNonce().length() > limits.maxVersionChars()) {
      limited(Reason.VERSION_TEXT, "response_nonce of " + r.getResponseNonce().length() + " chars dropped from a request ("
          + FlagHint.of(6) + ")", null);
      b = r.toBuilder().clearResponseNonce();
    }
    if (r.hasErrorDetail() && oversized(r.getErrorDetail())) {
      b = b == null ? r.toBuilder() : b;
      b.setErrorDetail(capped(r.getErrorDetail()));
    }
    return b == null ? Verdict.PASS : new Verdict(null, null, null, false, b.build());
  }

  private Verdict checkNode(Node n) {
    if (n == null) {
      return null;
    }
    int id = Math.max(n.getId().length(), n.getCluster().length());
    if (id > limits.maxNodeIdChars()) {
      return Verdict.end(Reason.NODE_ID, io.grpc.Status.INVALID_ARGUMENT, "node.id or node.cluster of " + id
          + " characters is longer than " + limits.maxNodeIdChars() + " (" + FlagHint.of(4) + ")");
    }
    if (n.getSerializedSize() > limits.maxNodeBytes()) {
      return Verdict.end(Reason.NODE_SIZE, io.grpc.Status.INVALID_ARGUMENT, "node of " + n.getSerializedSize()
          + " bytes is larger than " + limits.maxNodeBytes() + " (" + FlagHint.of(5) + ")");
    }
    return null;
  }

  private Verdict names(int n) {
    return Verdict.end(Reason.RESOURCE_NAMES, io.grpc.Status.RESOURCE_EXHAUSTED, "request names " + n
        + " resources, more than " + limits.maxResourceNames() + " (" + FlagHint.of(3) + ")");
  }

  private Verdict unknownType(String typeUrl) {
    limited(Reason.UNKNOWN_TYPE, "request for a type this server does not serve dropped: "
        + LogText.escape(typeUrl, Math.min(200, limits.maxLoggedChars())), null);
    return new Verdict(Reason.UNKNOWN_TYPE, null, null, true, null);
  }

  /** Whether a NACK's status carries more than we keep: longer text, or any details. */
  private boolean oversized(Status s) {
    return s.getMessage().length() > limits.maxNackMessageChars() || s.getDetailsCount() > 0;
  }

  private Status capped(Status s) {
    if (s.getMessage().length() > limits.maxNackMessageChars()) {
      limited(Reason.NACK_TEXT, "NACK message of " + s.getMessage().length() + " chars cut to "
          + limits.maxNackMessageChars() + " (" + FlagHint.of(7) + ")", null);
    }
    return Status.newBuilder().setCode(s.getCode()).setMessage(LogText.cap(s.getMessage(), limits.maxNackMessageChars())).build();
  }

  private Reason acquire(Object peer) {
    if (total.incrementAndGet() > limits.maxStreams()) {
      total.decrementAndGet();
      return Reason.STREAMS_TOTAL;
    }
    boolean[] ok = {false};
    perPeer.compute(peer, (k, n) -> {
      int c = n == null ? 0 : n;
      if (c >= limits.maxStreamsPerPeer()) {
        return n;
      }
      ok[0] = true;
      return c + 1;
    });
    if (!ok[0]) {
      total.decrementAndGet();
      return Reason.STREAMS_PER_PEER;
    }
    return null;
  }

  private void release(Object peer) {
    perPeer.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
    total.decrementAndGet();
  }

  private void limited(Reason r, String what, Object peer) {
    counters.get(r).increment();
    long suppressed = logs.get(r).tryAcquire();
    if (suppressed >= 0) {
      LOG.warn("xDS limit {}: {}{}{}", r.tag(), what, peer == null ? "" : " (peer " + peer + ")", RateLimitedLog.note(suppressed));
    }
  }

  /** The address part of a peer (streams are counted per IP, whatever the source port). */
  static Object peerOf(SocketAddress a) {
    if (a instanceof InetSocketAddress i) {
      return i.getAddress() != null ? i.getAddress() : i.getHostString();
    }
    return a == null ? "unknown" : a.toString();
  }

  /** The flag that sets limit {@code i}, for messages. */
  private static final class FlagHint {
    static String of(int i) {
      return XdsLimits.FLAGS[i];
    }
  }

  /**
   * Serializes writes and makes close idempotent. Why: the guard may end a stream from the
   * request thread while java-control-plane writes responses from its executor; a {@link
   * ServerCall} is not thread-safe, and java-control-plane closes the call again when told the
   * stream is gone.
   */
  private static final class GuardedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private boolean closed;

    GuardedCall(ServerCall<Q, R> delegate) {
      super(delegate);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!closed) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(io.grpc.Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }
  }
}
