package io.appmeshxds.server.status;

import io.appmeshxds.server.grpc.StreamCallbacks;
import io.appmeshxds.translator.plan.NodeKey;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configuration each proxy group currently rejects, per type, until it accepts a newer version.
 * The reconciler turns entries into {@code ConfigRejected} conditions on the VirtualNode or
 * VirtualGateway.
 */
public final class NackBook implements StreamCallbacks.NackSink {

  /** One rejection. */
  public record Rejection(String nodeId, String typeUrl, String version, String message) {}

  private final Map<NodeKey, Map<String, Rejection>> book = new ConcurrentHashMap<>();
  private volatile Runnable onChange = () -> {};

  public void onChange(Runnable r) {
    onChange = r;
  }

  @Override
  public void rejected(NodeKey key, String nodeId, String typeUrl, String version, String message) {
    Rejection r = new Rejection(nodeId, typeUrl, version, message);
    Rejection old = book.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(typeUrl, r);
    if (!r.equals(old)) {
      onChange.run();
    }
  }

  @Override
  public void accepted(NodeKey key, String typeUrl, String version) {
    Map<String, Rejection> m = book.get(key);
    if (m != null) {
      Rejection r = m.get(typeUrl);
      if (r != null && !version.equals(r.version()) && m.remove(typeUrl, r)) {
        onChange.run();
      }
    }
  }

  /** Current rejections by key, sorted. */
  public Map<NodeKey, Map<String, Rejection>> snapshot() {
    Map<NodeKey, Map<String, Rejection>> out = new TreeMap<>();
    book.forEach((k, v) -> {
      if (!v.isEmpty()) {
        out.put(k, new TreeMap<>(v));
      }
    });
    return out;
  }
}
