package io.appmeshxds.server.status;

import io.appmeshxds.server.grpc.StreamCallbacks;
import io.appmeshxds.translator.plan.NodeKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * When each proxy group last acknowledged each type, and which version: lets {@code demo} (and
 * benchmarks) report how long a change took to reach a client, ACK included. SotW and delta ACKs
 * both count. The versions are the ones we sent (never a client's {@code version_info}), so the
 * book holds no client text.
 *
 * <p>Only the latest ACK of each group and type is kept. Why: a book of every version ever
 * acknowledged grew by one entry per client and change (about 200 bytes each) up to 100,000
 * entries, 4 KB of every held stream in the benchmark's stream-memory row; the questions asked of
 * it are about the version just published.
 */
public final class AckTracker implements StreamCallbacks.NackSink {

  /** Told of every ACK when it arrives, on the stream's thread: must be cheap and must not block. */
  public interface Listener {
    void acked(NodeKey key, String typeUrl, String version, long nanoTime);
  }

  /** The latest ACK of one type. */
  private record Ack(String version, long nanoTime) {}

  /** Per group, per type URL (a handful: the types we serve), its latest ACK. */
  private final Map<NodeKey, Map<String, Ack>> latest = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  @Override
  public void rejected(long streamId, NodeKey key, String nodeId, String typeUrl, String version, String message) {}

  @Override
  public void accepted(long streamId, NodeKey key, String typeUrl, String version) {
    long now = System.nanoTime();
    if (latest.size() > 100_000) {
      latest.clear();
    }
    latest.computeIfAbsent(key, k -> new ConcurrentHashMap<>(8)).put(typeUrl, new Ack(version, now));
    for (Listener l : listeners) {
      l.acked(key, typeUrl, version, now);
    }
  }

  /**
   * Adds a listener. Why: only the latest ACK of each group and type is kept, so a benchmark that
   * times thousands of clients over many changes collects ACKs as they arrive instead.
   */
  public void addListener(Listener l) {
    listeners.add(l);
  }

  /** ACKs kept (one per group and type); for tests. */
  int entries() {
    return latest.values().stream().mapToInt(Map::size).sum();
  }

  /**
   * {@link System#nanoTime()} of the latest ACK of {@code version}, or null when the group's latest
   * ACK of that type is of another version (or there is none).
   */
  public Long ackedAt(NodeKey key, String typeUrl, String version) {
    Map<String, Ack> types = latest.get(key);
    Ack a = types == null ? null : types.get(typeUrl);
    return a != null && a.version().equals(version) ? a.nanoTime() : null;
  }
}
