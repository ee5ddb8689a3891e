package io.appmeshxds.server.status;

import io.appmeshxds.server.grpc.StreamCallbacks;
import io.appmeshxds.translator.plan.NodeKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * When each proxy group last acknowledged each version of each type: lets {@code demo} (and
 * benchmarks) report how long a change took to reach a client, ACK included. SotW and delta ACKs
 * both count. The versions are the ones we sent (never a client's {@code version_info}), so the
 * book holds no client text.
 */
public final class AckTracker implements StreamCallbacks.NackSink {

  /** Told of every ACK when it arrives, on the stream's thread: must be cheap and must not block. */
  public interface Listener {
    void acked(NodeKey key, String typeUrl, String version, long nanoTime);
  }

  private final Map<String, Long> ackedAt = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  @Override
  public void rejected(long streamId, NodeKey key, String nodeId, String typeUrl, String version, String message) {}

  @Override
  public void accepted(long streamId, NodeKey key, String typeUrl, String version) {
    long now = System.nanoTime();
    if (ackedAt.size() > 100_000) {
      ackedAt.clear();
    }
    ackedAt.put(key + "|" + typeUrl + "|" + version, now);
    for (Listener l : listeners) {
      l.acked(key, typeUrl, version, now);
    }
  }

  /**
   * Adds a listener. Why: {@link #ackedAt} forgets everything past 100,000 entries, so a benchmark
   * that times thousands of clients over many changes collects ACKs as they arrive instead.
   */
  public void addListener(Listener l) {
    listeners.add(l);
  }

  /** {@link System#nanoTime()} of the latest ACK of {@code version}, or null. */
  public Long ackedAt(NodeKey key, String typeUrl, String version) {
    return ackedAt.get(key + "|" + typeUrl + "|" + version);
  }
}
