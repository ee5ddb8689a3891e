package io.appmeshxds.server.grpc;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-stream facts the cache needs but java-control-plane does not pass to it. The stream callbacks
 * see every request and response with its stream id; they hand the facts for the current request
 * to the cache through thread-locals, on the thread that then creates the request's watch.
 *
 * <ul>
 *   <li>Which version a NACK rejects: the version of the response whose nonce it names.
 *   <li>Which resources the client still holds: the names of our last response, minus names a later
 *       request dropped. Why: a SotW client that unsubscribes a cluster and subscribes to it again
 *       must be sent it again, even though its version did not change (java-control-plane's
 *       "acked names" still list it).
 * </ul>
 */
public final class StreamTracker {
  /** One stream's facts, by type URL (only types we answered: the client chooses none of the keys). */
  private static final class PerStream {
    final Map<String, Sent> lastSent = new ConcurrentHashMap<>(8);
    /** SotW streams only (a delta client's holdings are java-control-plane's tracked versions). */
    volatile Map<String, Set<String>> held;
  }

  /**
   * Our last response of a type. Why the version apart: it is the response's own string (the one
   * every stream of the group is sent), so an ACK reports it without a copy per stream.
   */
  private record Sent(String nonce, String version) {}

  // Why per stream: closing a stream drops its entry in O(1), not a scan of every stream's keys.
  private final Map<Long, PerStream> streams = new ConcurrentHashMap<>();
  private final ThreadLocal<String> rejected = new ThreadLocal<>();
  private final ThreadLocal<Set<String>> holding = new ThreadLocal<>();

  /** A stream opened. Why explicit: a response racing the stream's close must not re-create its entry. */
  void opened(long stream) {
    streams.putIfAbsent(stream, new PerStream());
  }

  /** A SotW response: its nonce and version, and the names it carried (what the client holds now). */
  void sent(long stream, String typeUrl, String nonce, String version, List<String> names) {
    PerStream s = streams.get(stream);
    if (s == null) {
      return;
    }
    s.lastSent.put(typeUrl, new Sent(nonce, version));
    Set<String> h = ConcurrentHashMap.newKeySet();
    h.addAll(names);
    Map<String, Set<String>> held = s.held;
    if (held == null) {
      synchronized (s) {
        if (s.held == null) {
          s.held = new ConcurrentHashMap<>(8);
        }
        held = s.held;
      }
    }
    held.put(typeUrl, h);
  }

  /** A delta response: its nonce and version (a delta client reports what it holds itself). */
  void sentDelta(long stream, String typeUrl, String nonce, String version) {
    PerStream s = streams.get(stream);
    if (s != null) {
      s.lastSent.put(typeUrl, new Sent(nonce, version));
    }
  }

  /** Every request: drops names it no longer asks for, and stashes what the client holds. */
  void requested(long stream, String typeUrl, List<String> names) {
    PerStream s = streams.get(stream);
    Map<String, Set<String>> held = s == null ? null : s.held;
    Set<String> h = held == null ? null : held.get(typeUrl);
    if (h != null && !names.isEmpty()) {
      h.retainAll(new HashSet<>(names));
    }
    holding.set(h == null ? Set.of() : Set.copyOf(h));
    rejected.remove();
  }

  /** A request with error_detail: stashes the rejected version for the cache. */
  String rejected(long stream, String typeUrl, String nonce) {
    String version = sentVersion(stream, typeUrl, nonce);
    rejected.set(version);
    return version;
  }

  /**
   * The version of our last response of this type on this stream, if {@code nonce} names it; null
   * otherwise (an older nonce, or nothing sent). Why: a delta request names only the nonce it
   * answers, not a version; and an ACK's version is taken from here rather than from the client's
   * {@code version_info}, so that no text the client chose is kept.
   */
  String sentVersion(long stream, String typeUrl, String nonce) {
    PerStream s = streams.get(stream);
    Sent last = s == null ? null : s.lastSent.get(typeUrl);
    return last != null && !nonce.isEmpty() && last.nonce().equals(nonce) ? last.version() : null;
  }

  /** The version the current request rejects (once), or null. */
  String takeRejectedVersion() {
    String v = rejected.get();
    rejected.remove();
    return v;
  }

  /** Names the current request's client holds (once), or null when unknown. */
  Set<String> takeHeld() {
    Set<String> v = holding.get();
    holding.remove();
    return v;
  }

  void closed(long stream) {
    streams.remove(stream);
  }

  /** Streams with facts kept (for tests and the client-state gauge); zero once every client has left. */
  public int streams() {
    return streams.size();
  }
}
