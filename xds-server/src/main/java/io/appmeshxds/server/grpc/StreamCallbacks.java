package io.appmeshxds.server.grpc;

import io.appmeshxds.translator.plan.NodeKey;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every ADS stream: which proxy it is, what we push, and what the proxy rejects. A NACK is
 * counted, logged once per rejected version (rate-limited, its text escaped and capped), and
 * reported to the {@link NackSink} (which turns it into a condition on the VirtualNode or
 * VirtualGateway) when it rejects a response we sent on that stream. ACKs are reported with the
 * version we sent under the acknowledged nonce, never the client's {@code version_info}: nothing a
 * client chose is kept, and everything kept for a stream goes when it closes.
 */
public final class StreamCallbacks implements DiscoveryServerCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(StreamCallbacks.class);

  /**
   * Receives NACKs and their clearing. {@code version} is always one we sent on that stream; the
   * message is escaped and capped ({@link XdsLimits#maxNackMessageChars()}).
   */
  public interface NackSink {
    void rejected(long streamId, NodeKey key, String nodeId, String typeUrl, String version, String message);

    void accepted(long streamId, NodeKey key, String typeUrl, String version);

    /** The stream is gone: forget whatever it reported. */
    default void closed(long streamId) {}
  }

  private final StreamTracker nacks;
  private final NackSink sink;
  private final MeterRegistry metrics;
  private final Map<Long, NodeKey> streams = new ConcurrentHashMap<>();
  private final Map<Long, String> lastLoggedNack = new ConcurrentHashMap<>();
  private final Map<NodeKey.Kind, AtomicInteger> connected = new ConcurrentHashMap<>();
  private final Map<NodeKey, Integer> streamsPerKey = new ConcurrentHashMap<>();
  private volatile Runnable onKeysChanged = () -> {};
  private final XdsLimits limits;
  private final RateLimitedLog nackLog;
  private final RateLimitedLog streamLog;

  public StreamCallbacks(StreamTracker nacks, NackSink sink, MeterRegistry metrics) {
    this(nacks, sink, metrics, XdsLimits.defaults());
  }

  public StreamCallbacks(StreamTracker nacks, NackSink sink, MeterRegistry metrics, XdsLimits limits) {
    this.limits = limits;
    this.nackLog = new RateLimitedLog(limits.logLinesPerMinute());
    // Connect/disconnect lines: a fleet restart is thousands of them, so a wider budget.
    this.streamLog = new RateLimitedLog(Math.max(limits.logLinesPerMinute(), 6000));
    this.nacks = nacks;
    this.sink = sink;
    this.metrics = metrics;
    for (NodeKey.Kind k : NodeKey.Kind.values()) {
      AtomicInteger n = new AtomicInteger();
      connected.put(k, n);
      Gauge.builder("appmeshxds_connected_proxies", n, AtomicInteger::get)
          .description("ADS streams open, by proxy kind")
          .tag("kind", k.name().toLowerCase(Locale.ROOT))
          .register(metrics);
    }
  }

  /**
   * Called (on a gRPC thread) when the first stream of a key opens or its last one closes; the
   * reconciler plans connected proxies only.
   */
  public void onKeysChanged(Runnable r) {
    onKeysChanged = r;
  }

  private volatile ProxyRegistry proxies = new ProxyRegistry(java.time.Clock.systemUTC());

  /** Where open streams are listed (for /proxies); one of its own by default. */
  public StreamCallbacks proxies(ProxyRegistry registry) {
    this.proxies = registry;
    return this;
  }

  /** The open streams. */
  public ProxyRegistry proxies() {
    return proxies;
  }

  /** Keys with at least one open stream: the proxies that are connected now. */
  public Set<NodeKey> connectedKeys() {
    return Set.copyOf(streamsPerKey.keySet());
  }

  /** Open streams of a kind. */
  public int connected(NodeKey.Kind kind) {
    return connected.get(kind).get();
  }

  /** Streams and NACK log keys held (for tests and the client-state gauge); zero once every client has left. */
  public int retainedEntries() {
    return streams.size() + lastLoggedNack.size();
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    nacks.opened(streamId);
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    NodeKey key = identify(streamId, request.getNode());
    nacks.requested(streamId, request.getTypeUrl(), request.getResourceNamesList());
    answered(streamId, key, request.getNode(), request.getTypeUrl(), request.getResponseNonce(),
        request.hasErrorDetail() ? request.getErrorDetail().getMessage() : null);
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    NodeKey key = identify(streamId, request.getNode());
    nacks.requested(streamId, request.getTypeUrl(), List.of());
    answered(streamId, key, request.getNode(), request.getTypeUrl(), request.getResponseNonce(),
        request.hasErrorDetail() ? request.getErrorDetail().getMessage() : null);
  }

  /**
   * A request's answer to our response of {@code nonce}, SotW or delta alike: a NACK ({@code
   * error} set) is logged, counted and booked; an ACK is the version we sent under that nonce (the
   * client's version_info is not kept), reported for authenticated proxies of the node.
   */
  private void answered(long streamId, NodeKey key, Node node, String typeUrl, String nonce, String error) {
    if (error != null) {
      String version = nacks.rejected(streamId, typeUrl, nonce);
      proxies.requested(streamId, node, key, typeUrl, null, version, error);
      nack(streamId, key, node, typeUrl, version, error);
    } else {
      String acked = nonce.isEmpty() ? null : nacks.sentVersion(streamId, typeUrl, nonce);
      proxies.requested(streamId, node, key, typeUrl, acked, null, null);
      if (key != null && acked != null && ProxyAuthorization.mayReportFor(key)) {
        sink.accepted(streamId, key, typeUrl, acked);
      }
    }
  }

  @Override
  public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    nacks.sent(streamId, response.getTypeUrl(), response.getNonce(), response.getVersionInfo(), names(response));
    proxies.sent(streamId, response.getTypeUrl(), response.getVersionInfo());
    pushed(response.getTypeUrl(), response.getResourcesCount(), response.getSerializedSize());
  }

  @Override
  public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    nacks.sentDelta(streamId, response.getTypeUrl(), response.getNonce(), response.getSystemVersionInfo());
    proxies.sent(streamId, response.getTypeUrl(), response.getSystemVersionInfo());
    pushed(response.getTypeUrl(), response.getResourcesCount(), response.getSerializedSize());
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId);
  }

  /** Resource names of a SotW response (resources are packed; the name is read from each). */
  private static List<String> names(DiscoveryResponse response) {
    List<String> out = new java.util.ArrayList<>();
    for (com.google.protobuf.Any a : response.getResourcesList()) {
      out.add(ResourceNames.of(a));
    }
    return out;
  }

  private NodeKey identify(long streamId, Node node) {
    NodeKey known = streams.get(streamId);
    if (known != null) {
      return known;
    }
    NodeKey key = XdsCache.keyOf(node);
    if (key != null && streams.putIfAbsent(streamId, key) == null) {
      connected.get(key.kind()).incrementAndGet();
      if (streamsPerKey.merge(key, 1, Integer::sum) == 1) {
        onKeysChanged.run();
      }
      long suppressed = streamLog.tryAcquire();
      if (suppressed >= 0) {
        int max = limits.maxLoggedChars();
        LOG.info("proxy connected: stream {} node {} ({} {}) as {}{}", streamId, LogText.escape(node.getId(), max),
            LogText.escape(node.getUserAgentName(), 64), LogText.escape(node.getUserAgentVersion(), 64),
            LogText.escape(key.toString(), max), RateLimitedLog.note(suppressed));
      }
    }
    return key;
  }

  private void closed(long streamId) {
    NodeKey key = streams.remove(streamId);
    if (key != null) {
      connected.get(key.kind()).decrementAndGet();
      if (streamsPerKey.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1) == null) {
        onKeysChanged.run();
      }
      long suppressed = streamLog.tryAcquire();
      if (suppressed >= 0) {
        LOG.info("proxy disconnected: stream {} ({}){}", streamId, LogText.escape(key.toString(), limits.maxLoggedChars()),
            RateLimitedLog.note(suppressed));
      }
    }
    lastLoggedNack.remove(streamId);
    nacks.closed(streamId);
    proxies.closed(streamId);
    sink.closed(streamId);
  }

  private void nack(long streamId, NodeKey key, Node node, String typeUrl, String version, String message) {
    String type = shortType(typeUrl);
    Counter.builder("appmeshxds_nacks_total").description("Responses rejected by proxies, by type").tag("type", type)
        .register(metrics).increment();
    String logKey = type + "|" + version;
    if (!logKey.equals(lastLoggedNack.put(streamId, logKey))) {
      long suppressed = nackLog.tryAcquire();
      if (suppressed >= 0) {
        int max = limits.maxLoggedChars();
        LOG.warn("NACK from node {} ({}) stream {}: {} version {} rejected: {}{}", LogText.escape(node.getId(), max),
            key == null ? null : LogText.escape(key.toString(), max), streamId, type, version, LogText.escape(message, max),
            RateLimitedLog.note(suppressed));
      }
    }
    // Only a rejection of a response we sent on this stream (a NACK naming no such nonce rejects
    // nothing of ours), and with proxy authorization on, only from a stream authenticated as this node.
    if (key != null && version != null && ProxyAuthorization.mayReportFor(key)) {
      sink.rejected(streamId, key, key.nodeId(), typeUrl, version,
          LogText.escape(message, limits.maxNackMessageChars()));
    }
  }

  private void pushed(String typeUrl, int resources, int bytes) {
    String type = shortType(typeUrl);
    Counter.builder("appmeshxds_pushes_total").description("xDS responses sent, by type").tag("type", type)
        .register(metrics).increment();
    Counter.builder("appmeshxds_pushed_resources_total").description("Resources sent, by type").tag("type", type)
        .register(metrics).increment(resources);
    Counter.builder("appmeshxds_pushed_bytes_total").description("Bytes of xDS responses sent, by type").tag("type", type)
        .register(metrics).increment(bytes);
  }

  static String shortType(String typeUrl) {
    return switch (typeUrl) {
      case "type.googleapis.com/envoy.config.listener.v3.Listener" -> "lds";
      case "type.googleapis.com/envoy.config.route.v3.RouteConfiguration" -> "rds";
      case "type.googleapis.com/envoy.config.cluster.v3.Cluster" -> "cds";
      case "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment" -> "eds";
      case "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret" -> "sds";
      default -> "other";
    };
  }
}
