package io.appmeshxds.server.status;

import io.appmeshxds.server.grpc.StreamCallbacks;
import io.appmeshxds.translator.plan.NodeKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configuration each proxy group currently rejects, per type. The reconciler turns entries into
 * {@code ConfigRejected} conditions on the VirtualNode or VirtualGateway.
 *
 * <p>A rejection is kept per stream and shown for the group (the latest one's text) until a proxy
 * of the group ACKs that type (any version: the group accepts configuration again), and a stream's
 * rejections go when it closes. Why: a NACK must not stay after the node's proxy accepted the
 * configuration, and nothing a client sent is kept after it leaves. The message is already escaped
 * and capped by the stream callbacks.
 */
public final class NackBook implements StreamCallbacks.NackSink {

  /** One rejection. */
  public record Rejection(String nodeId, String typeUrl, String version, String message) {
    /** Characters kept, for {@link #retainedChars()}. */
    int chars() {
      return nodeId.length() + typeUrl.length() + version.length() + message.length();
    }
  }

  private record Slot(NodeKey key, String typeUrl) {}

  /** The streams rejecting one type of one group, and the latest rejection's text. */
  private static final class Entry {
    final Map<Long, Rejection> byStream = new HashMap<>();
    Rejection latest;
  }

  // Guarded by this; small: only current rejections.
  private final Map<Slot, Entry> book = new HashMap<>();
  // Streams holding a rejection, so that the hot path (every ACK) is one lookup when there is none.
  private final Map<Long, Set<Slot>> byStream = new ConcurrentHashMap<>();
  private volatile Runnable onChange = () -> {};

  public void onChange(Runnable r) {
    onChange = r;
  }

  @Override
  public void rejected(long streamId, NodeKey key, String nodeId, String typeUrl, String version, String message) {
    Rejection r = new Rejection(nodeId, typeUrl, version, message);
    boolean changed;
    synchronized (this) {
      Slot s = new Slot(key, typeUrl);
      Entry e = book.computeIfAbsent(s, k -> new Entry());
      Rejection old = e.byStream.put(streamId, r);
      changed = !r.equals(e.latest);
      e.latest = r;
      byStream.computeIfAbsent(streamId, k -> new HashSet<>()).add(s);
      changed |= old == null && e.byStream.size() == 1;
    }
    if (changed) {
      onChange.run();
    }
  }

  @Override
  public void accepted(long streamId, NodeKey key, String typeUrl, String version) {
    if (byStream.isEmpty()) {
      return; // the hot path: every ACK, and almost always nothing is rejected
    }
    boolean changed = false;
    synchronized (this) {
      Entry e = book.get(new Slot(key, typeUrl));
      if (e != null) {
        for (Long stream : List.copyOf(e.byStream.keySet())) {
          changed |= remove(stream, new Slot(key, typeUrl));
        }
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  @Override
  public void closed(long streamId) {
    Set<Slot> slots = byStream.get(streamId);
    if (slots == null) {
      return;
    }
    boolean changed = false;
    for (Slot s : Set.copyOf(slots)) {
      changed |= remove(streamId, s);
    }
    if (changed) {
      onChange.run();
    }
  }

  /** Drops one stream's rejection of a slot; true when the slot's shown rejection changed. */
  private synchronized boolean remove(long streamId, Slot s) {
    Set<Slot> slots = byStream.get(streamId);
    if (slots == null || !slots.remove(s)) {
      return false;
    }
    if (slots.isEmpty()) {
      byStream.remove(streamId);
    }
    Entry e = book.get(s);
    Rejection gone = e.byStream.remove(streamId);
    if (e.byStream.isEmpty()) {
      book.remove(s);
      return true;
    }
    if (gone != null && gone.equals(e.latest)) {
      e.latest = e.byStream.values().iterator().next();
      return true;
    }
    return false;
  }

  /** Current rejections by key, sorted. */
  public synchronized Map<NodeKey, Map<String, Rejection>> snapshot() {
    Map<NodeKey, Map<String, Rejection>> out = new TreeMap<>();
    book.forEach((s, e) -> out.computeIfAbsent(s.key(), k -> new TreeMap<>()).put(s.typeUrl(), e.latest));
    return out;
  }

  /** Streams holding a rejection; zero once every client that NACKed has left or ACKed. */
  public int streams() {
    return byStream.size();
  }

  /** Characters of client-reported text kept (NACK messages and what names them); zero when nothing is rejected. */
  public synchronized long retainedChars() {
    long n = 0;
    for (Entry e : book.values()) {
      for (Rejection r : e.byStream.values()) {
        n += r.chars();
      }
    }
    return n;
  }
}
