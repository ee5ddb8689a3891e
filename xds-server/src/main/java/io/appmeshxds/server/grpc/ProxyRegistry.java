package io.appmeshxds.server.grpc;

import io.appmeshxds.translator.plan.NodeKey;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open xDS stream, for {@code /proxies} and {@code appmesh-xds status}: the node it claims,
 * since when, and per resource type the version last sent, the version it ACKed and its last NACK.
 * An entry lives exactly as long as its stream; every text a client sends is capped
 * ({@link #MAX_ID}, {@link #MAX_VERSION}, {@link #MAX_MESSAGE}), so an entry is a few KB at most.
 */
public final class ProxyRegistry {
  static final int MAX_ID = 256;
  static final int MAX_VERSION = 128;
  static final int MAX_MESSAGE = 512;

  /** What one stream of one type looks like now. */
  public record TypeState(String sent, String acked, String nackedVersion, String nackMessage, Instant nackedAt) {}

  /** One open stream. */
  public record Proxy(long stream, String nodeId, NodeKey key, String userAgent, Instant since,
      Map<String, TypeState> types) {}

  private static final class Entry {
    final long stream;
    final Instant since;
    volatile String nodeId = "";
    volatile NodeKey key;
    volatile String agent = "";
    final Map<String, TypeState> types = new ConcurrentHashMap<>();

    Entry(long stream, Instant since) {
      this.stream = stream;
      this.since = since;
    }
  }

  private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;

  public ProxyRegistry(Clock clock) {
    this.clock = clock;
  }

  private Entry entry(long stream) {
    return entries.computeIfAbsent(stream, s -> new Entry(s, clock.instant()));
  }

  /** A request: the node (when it names one), an ACK of {@code ackedVersion} or a NACK. */
  void requested(long stream, Node node, NodeKey key, String typeUrl, String ackedVersion, String nackedVersion,
      String nackMessage) {
    Entry e = entry(stream);
    if (node != null && !node.getId().isEmpty() && e.nodeId.isEmpty()) {
      e.nodeId = cap(node.getId(), MAX_ID);
      e.agent = cap(node.getUserAgentName() + " " + (node.hasUserAgentBuildVersion() ? "" : node.getUserAgentVersion()),
          MAX_VERSION).strip();
    }
    if (key != null && e.key == null) {
      e.key = key;
    }
    String type = StreamCallbacks.shortType(typeUrl);
    if (nackMessage != null) {
      e.types.compute(type, (t, s) -> new TypeState(s == null ? null : s.sent(), s == null ? null : s.acked(),
          cap(nackedVersion, MAX_VERSION), cap(nackMessage, MAX_MESSAGE), clock.instant()));
    } else if (ackedVersion != null && !ackedVersion.isEmpty()) {
      e.types.compute(type, (t, s) -> new TypeState(s == null ? null : s.sent(), cap(ackedVersion, MAX_VERSION),
          s == null ? null : s.nackedVersion(), s == null ? null : s.nackMessage(), s == null ? null : s.nackedAt()));
    } else {
      e.types.putIfAbsent(type, new TypeState(null, null, null, null, null));
    }
  }

  /** A response sent on the stream. */
  void sent(long stream, String typeUrl, String version) {
    Entry e = entries.get(stream);
    if (e == null) {
      return;
    }
    e.types.compute(StreamCallbacks.shortType(typeUrl), (t, s) -> new TypeState(cap(version, MAX_VERSION),
        s == null ? null : s.acked(), s == null ? null : s.nackedVersion(), s == null ? null : s.nackMessage(),
        s == null ? null : s.nackedAt()));
  }

  /** The stream is gone: so is everything it sent. */
  void closed(long stream) {
    entries.remove(stream);
  }

  /** Open streams now, oldest first. */
  public List<Proxy> snapshot() {
    List<Proxy> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      out.add(new Proxy(e.stream, e.nodeId, e.key, e.agent, e.since, new TreeMap<>(e.types)));
    }
    out.sort(Comparator.comparing(Proxy::since).thenComparingLong(Proxy::stream));
    return out;
  }

  /** Open streams. */
  public int size() {
    return entries.size();
  }

  private static String cap(String s, int max) {
    if (s == null) {
      return null;
    }
    return s.length() <= max ? s : s.substring(0, max) + "…(" + (s.length() - max) + " more)";
  }
}
