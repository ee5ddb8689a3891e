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
 * logged once per rejected version with node, type and the proxy's message, counted, and reported
 * to the {@link NackSink} (which turns it into a condition on the VirtualNode or VirtualGateway).
 */
public final class StreamCallbacks implements DiscoveryServerCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(StreamCallbacks.class);

  /** Receives NACKs and their clearing. */
  public interface NackSink {
    void rejected(NodeKey key, String nodeId, String typeUrl, String version, String message);

    void accepted(NodeKey key, String typeUrl, String version);
  }

  private final StreamTracker nacks;
  private final NackSink sink;
  private final MeterRegistry metrics;
  private final Map<Long, NodeKey> streams = new ConcurrentHashMap<>();
  private final Map<Long, String> lastLoggedNack = new ConcurrentHashMap<>();
  private final Map<NodeKey.Kind, AtomicInteger> connected = new ConcurrentHashMap<>();
  private final Map<NodeKey, Integer> streamsPerKey = new ConcurrentHashMap<>();
  private volatile Runnable onKeysChanged = () -> {};

  public StreamCallbacks(StreamTracker nacks, NackSink sink, MeterRegistry metrics) {
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

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    NodeKey key = identify(streamId, request.getNode());
    nacks.requested(streamId, request.getTypeUrl(), request.getResourceNamesList());
    if (request.hasErrorDetail()) {
      String version = nacks.rejected(streamId, request.getTypeUrl(), request.getResponseNonce());
      proxies.requested(streamId, request.getNode(), key, request.getTypeUrl(), null, version,
          request.getErrorDetail().getMessage());
      nack(streamId, key, request.getNode(), request.getTypeUrl(), version, request.getErrorDetail().getMessage());
    } else {
      String acked = request.getResponseNonce().isEmpty() ? null : request.getVersionInfo();
      proxies.requested(streamId, request.getNode(), key, request.getTypeUrl(), acked, null, null);
      if (key != null && acked != null && !acked.isEmpty() && ProxyAuthorization.mayReportFor(key)) {
        sink.accepted(key, request.getTypeUrl(), acked);
      }
    }
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    NodeKey key = identify(streamId, request.getNode());
    nacks.requested(streamId, request.getTypeUrl(), List.of());
    if (request.hasErrorDetail()) {
      String version = nacks.rejected(streamId, request.getTypeUrl(), request.getResponseNonce());
      proxies.requested(streamId, request.getNode(), key, request.getTypeUrl(), null, version,
          request.getErrorDetail().getMessage());
      nack(streamId, key, request.getNode(), request.getTypeUrl(), version, request.getErrorDetail().getMessage());
    } else {
      // A delta ACK names the nonce of our response; its version is the one we sent with that nonce.
      String acked = request.getResponseNonce().isEmpty() ? null
          : nacks.sentVersion(streamId, request.getTypeUrl(), request.getResponseNonce());
      proxies.requested(streamId, request.getNode(), key, request.getTypeUrl(), acked, null, null);
      if (key != null && acked != null && ProxyAuthorization.mayReportFor(key)) {
        sink.accepted(key, request.getTypeUrl(), acked);
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
    nacks.sent(streamId, response.getTypeUrl(), response.getNonce(), response.getSystemVersionInfo(), List.of());
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
      LOG.info("proxy connected: stream {} node {} ({} {}) as {}", streamId, node.getId(), node.getUserAgentName(),
          node.getUserAgentVersion(), key);
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
      LOG.info("proxy disconnected: stream {} ({})", streamId, key);
    }
    lastLoggedNack.remove(streamId);
    nacks.closed(streamId);
    proxies.closed(streamId);
  }

  private void nack(long streamId, NodeKey key, Node node, String typeUrl, String version, String message) {
    String type = shortType(typeUrl);
    Counter.builder("appmeshxds_nacks_total").description("Responses rejected by proxies, by type").tag("type", type)
        .register(metrics).increment();
    String logKey = typeUrl + "|" + version;
    if (!logKey.equals(lastLoggedNack.put(streamId, logKey))) {
      LOG.warn("NACK from node {} ({}) stream {}: {} version {} rejected: {}", node.getId(), key, streamId, type, version,
          message);
    }
    // With proxy authorization on, only a stream authenticated as this node writes its status.
    if (key != null && ProxyAuthorization.mayReportFor(key)) {
      sink.rejected(key, node.getId(), typeUrl, version, message);
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
