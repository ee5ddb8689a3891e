package io.appmeshxds.server.status;

import io.appmeshxds.server.grpc.StreamCallbacks;
import io.appmeshxds.translator.plan.NodeKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each proxy group last acknowledged each version of each type: lets {@code demo} (and
 * benchmarks) report how long a change took to reach a client, ACK included.
 */
public final class AckTracker implements StreamCallbacks.NackSink {
  private final Map<String, Long> ackedAt = new ConcurrentHashMap<>();

  @Override
  public void rejected(NodeKey key, String nodeId, String typeUrl, String version, String message) {}

  @Override
  public void accepted(NodeKey key, String typeUrl, String version) {
    if (ackedAt.size() > 100_000) {
      ackedAt.clear();
    }
    ackedAt.put(key + "|" + typeUrl + "|" + version, System.nanoTime());
  }

  /** {@link System#nanoTime()} of the latest ACK of {@code version}, or null. */
  public Long ackedAt(NodeKey key, String typeUrl, String version) {
    return ackedAt.get(key + "|" + typeUrl + "|" + version);
  }
}
