package io.appmeshxds.server.grpc;

import com.google.protobuf.Message;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsResources.Resource;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.WatchCancelledException;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Our {@link ConfigWatcher}: the resources of each proxy group ({@link NodeKey}), and the watches
 * of the streams waiting for them. Replaces java-control-plane's SimpleCache for three reasons:
 *
 * <ul>
 *   <li>per-resource versions are content hashes, equal in every replica and across restarts
 *       (SimpleCache's come from {@code hashCode()}, which differs per JVM);
 *   <li>a NACK parks the stream until a newer version exists, instead of re-sending the rejected
 *       one at once (the measured NACK storm of SimpleCache);
 *   <li>updating one group touches only that group's watches, and only the types whose version
 *       changed are answered.
 * </ul>
 *
 * <p>SotW answers carry every requested resource that exists (LDS/CDS wildcard: all); a missing
 * name is simply absent, never a reason to hold back the others. Delta answers carry what changed
 * and what was removed.
 */
public final class XdsCache implements ConfigWatcher {

  /** What the cache tells the rest of the server. */
  public interface Listener {
    /** A stream asked for a key that has no resources yet (unknown node, or a new proxyless client). */
    default void onMissingKey(NodeKey key, Node node) {}

    /** A request whose node is not an App Mesh identity. */
    default void onUnknownNode(Node node) {}
  }

  /** A parked watch: answered once its type's version differs from {@code hold} or a wanted name appears. */
  private record Parked(Set<String> known, String hold) {}

  private static final class Group {
    /** Its key in {@link #groups} (one string per group, not one per watch that may drop it). */
    final String key;
    volatile XdsResources resources;
    /** Set (under the group's lock) when it left {@link #groups}; a thread holding it looks it up again. */
    boolean removed;
    final Map<Watch, Parked> watches = new HashMap<>();
    final Map<DeltaWatch, Parked> deltaWatches = new HashMap<>();

    Group(String key) {
      this.key = key;
    }
  }

  private final Map<String, Group> groups = new ConcurrentHashMap<>();
  private final Listener listener;
  private final StreamTracker nacks;
  private volatile java.util.function.BiConsumer<NodeKey, XdsResources> observer = (k, r) -> {};

  public XdsCache(Listener listener, StreamTracker nacks) {
    this.listener = listener;
    this.nacks = nacks;
  }

  /** The node's key, from its identity ({@code node.id} or {@code node.cluster}) and user agent. */
  public static NodeKey keyOf(Node node) {
    return NodeKey.parse(node.getId(), node.getCluster(), node.getUserAgentName(), node.getUserAgentVersion());
  }

  /** Current resources of a key, or null. */
  public XdsResources get(NodeKey key) {
    Group g = groups.get(key.toString());
    return g == null ? null : g.resources;
  }

  /**
   * Forgets a key's resources when no watch is open on it (its proxy is gone), so that a proxy
   * connecting later waits for a fresh plan instead of being answered with stale resources.
   * Returns whether they were forgotten.
   */
  public boolean forget(NodeKey key) {
    Group g = groups.get(key.toString());
    if (g == null) {
      return true;
    }
    synchronized (g) {
      if (!g.watches.isEmpty() || !g.deltaWatches.isEmpty()) {
        return false;
      }
      g.resources = null;
      dropIfIdle(g);
      return true;
    }
  }

  /**
   * Removes a group with no resources and no watch (caller holds its lock). Why: a client naming a
   * node we have no config for (an unknown VirtualNode name) leaves nothing behind once it goes.
   */
  private void dropIfIdle(Group g) {
    if (g.resources == null && g.watches.isEmpty() && g.deltaWatches.isEmpty() && !g.removed) {
      g.removed = true;
      groups.remove(g.key, g);
    }
  }

  /** Groups held, with or without resources (for tests: unknown nodes leave none behind). */
  public int groups() {
    return groups.size();
  }

  /** Keys that have resources. */
  public Set<String> keys() {
    Set<String> out = new HashSet<>();
    groups.forEach((k, g) -> {
      if (g.resources != null) {
        out.add(k);
      }
    });
    return out;
  }

  /** Open (parked) watches, for metrics and tests. */
  public int openWatches() {
    int n = 0;
    for (Group g : groups.values()) {
      synchronized (g) {
        n += g.watches.size() + g.deltaWatches.size();
      }
    }
    return n;
  }

  /** Sees every {@link #set} (on the publishing thread, before watches are answered); for tests and metrics. */
  public void observe(java.util.function.BiConsumer<NodeKey, XdsResources> o) {
    observer = o;
  }

  /**
   * Publishes a group's resources and answers every parked watch whose type changed.
   *
   * @return the number of responses sent
   */
  public int set(NodeKey key, XdsResources resources) {
    observer.accept(key, resources);
    int sent = 0;
    Group g;
    for (;;) {
      g = groups.computeIfAbsent(key.toString(), Group::new);
      synchronized (g) {
        if (!g.removed) {
          g.resources = resources;
          break;
        }
      }
    }
    synchronized (g) {
      for (Map.Entry<Watch, Parked> e : new ArrayList<>(g.watches.entrySet())) {
        Watch w = e.getKey();
        XdsResources.Type t = typeOf(w.request().getTypeUrl());
        if (t != null && (!resources.version(t).equals(e.getValue().hold())
            || newNames(w.request(), resources, t, e.getValue().known()))) {
          g.watches.remove(w);
          sent += respond(w, resources, t);
        }
      }
      for (Map.Entry<DeltaWatch, Parked> e : new ArrayList<>(g.deltaWatches.entrySet())) {
        DeltaWatch w = e.getKey();
        XdsResources.Type t = typeOf(w.request().getTypeUrl());
        if (t != null && (e.getValue().hold() == null || !resources.version(t).equals(e.getValue().hold()))) {
          DeltaResponse d = diff(w, resources, t);
          if (d != null) {
            g.deltaWatches.remove(w);
            sent += respond(w, d);
          } else {
            e.setValue(new Parked(e.getValue().known(), resources.version(t)));
          }
        }
      }
    }
    return sent;
  }

  @Override
  public Watch createWatch(boolean ads, XdsRequest request, Set<String> known, Consumer<Response> consumer,
      boolean hasClusterChanged, boolean allowDefaultEmptyEdsUpdate) {
    Watch w = new Watch(ads, allowDefaultEmptyEdsUpdate, request, consumer);
    Node node = request.v3Request().getNode();
    NodeKey key = keyOf(node);
    String rejected = nacks.takeRejectedVersion();
    Set<String> held = nacks.takeHeld();
    if (held != null) {
      known = held;
    }
    if (key == null) {
      listener.onUnknownNode(node);
      return w; // never answered: an unknown node gets no config
    }
    XdsResources.Type t = typeOf(request.getTypeUrl());
    if (t == null) {
      return w; // a type we do not serve: nothing to answer, nothing kept (the stream guard drops these first)
    }
    String k = key.toString();
    boolean missing;
    for (;;) {
      Group g = groups.computeIfAbsent(k, Group::new);
      synchronized (g) {
        if (g.removed) {
          continue;
        }
        XdsResources r = g.resources;
        missing = r == null;
        String hold = request.getVersionInfo();
        if (request.hasErrorDetail()) {
          // A NACK: hold until a version other than the rejected one exists (no resend storm).
          hold = rejected != null ? rejected : r != null ? r.version(t) : hold;
        }
        if (!missing) {
          boolean answer = request.hasErrorDetail() ? !r.version(t).equals(hold)
              : shouldAnswer(request, r, t, known, hasClusterChanged);
          if (answer) {
            respond(w, r, t);
            return w;
          }
        }
        g.watches.put(w, new Parked(Set.copyOf(known), hold));
        w.setStop(() -> {
          synchronized (g) {
            g.watches.remove(w);
            dropIfIdle(g);
          }
        });
        break;
      }
    }
    if (missing) {
      listener.onMissingKey(key, node);
    }
    return w;
  }

  @Override
  public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion, Map<String, String> resourceVersions,
      Set<String> pendingResources, boolean isWildcard, Consumer<DeltaResponse> consumer, boolean hasClusterChanged) {
    Node node = request.v3Request().getNode();
    NodeKey key = keyOf(node);
    String rejected = nacks.takeRejectedVersion();
    if (key == null) {
      listener.onUnknownNode(node);
      return new DeltaWatch(request, Map.of(), Set.of(), requesterVersion, isWildcard, consumer);
    }
    XdsResources.Type t = typeOf(request.getTypeUrl());
    if (t == null) {
      // See createWatch: never answered, so nothing of the request is kept.
      return new DeltaWatch(request, Map.of(), Set.of(), requesterVersion, isWildcard, consumer);
    }
    String k = key.toString();
    boolean missing;
    DeltaWatch w;
    for (;;) {
      Group g = groups.computeIfAbsent(k, Group::new);
      synchronized (g) {
        if (g.removed) {
          continue;
        }
        XdsResources r = g.resources;
        missing = r == null;
        String hold = null;
        if (request.v3Request().hasErrorDetail()) {
          hold = rejected != null ? rejected : r != null ? r.version(t) : "";
        }
        // Why java-control-plane's maps are read here without a copy: it calls this on the
        // stream's request thread, the only one that changes them.
        if (!missing && (hold == null || !hold.equals(r.version(t)))) {
          DeltaResponse d = diff(request, resourceVersions, pendingResources, isWildcard, r, t);
          if (d != null) {
            w = new DeltaWatch(request, Map.of(), Set.of(), requesterVersion, isWildcard, consumer);
            respond(w, d);
            return w;
          }
          w = new InSync(PARKED.get(t), r, t, isWildcard ? null : Set.copyOf(resourceVersions.keySet()),
              Set.copyOf(pendingResources), requesterVersion, isWildcard, consumer);
        } else {
          w = new DeltaWatch(PARKED.get(t), Map.copyOf(resourceVersions), Set.copyOf(pendingResources), requesterVersion,
              isWildcard, consumer);
        }
        if (!missing) {
          // Nothing to send against this version: wait for another one (a type's version covers
          // the names and hashes of all its resources, so the same version diffs to nothing again).
          hold = r.version(t);
        }
        g.deltaWatches.put(w, new Parked(Set.of(), hold));
        DeltaWatch parked = w;
        w.setStop(() -> {
          synchronized (g) {
            g.deltaWatches.remove(parked);
            dropIfIdle(g);
          }
        });
        break;
      }
    }
    if (missing) {
      listener.onMissingKey(key, node);
    }
    return w;
  }

  /**
   * What a parked delta watch keeps of its request: the type, all that answering it reads (the
   * request itself, an ACK rebuilt with the stream's node, was half a kilobyte of every watch).
   */
  private static final Map<XdsResources.Type, DeltaXdsRequest> PARKED = new java.util.EnumMap<>(XdsResources.Type.class);

  static {
    for (XdsResources.Type t : XdsResources.Type.values()) {
      PARKED.put(t, DeltaXdsRequest.create(DeltaDiscoveryRequest.newBuilder().setTypeUrl(t.typeUrl()).build()));
    }
  }

  /**
   * A delta watch parked because the client holds what {@code basis} has: every resource it
   * tracks is in {@code basis} with that hash (and, when wildcard, every resource of {@code basis}
   * is tracked), so its tracked versions are read from {@code basis} when needed instead of
   * copied. Why: a copy of each parked watch's versions was 1.5 KB of every held stream.
   */
  private static final class InSync extends DeltaWatch {
    private final XdsResources basis;
    private final XdsResources.Type type;
    /** Names tracked, or null for all of {@code basis}'s (wildcard). */
    private final Set<String> names;

    InSync(DeltaXdsRequest request, XdsResources basis, XdsResources.Type type, Set<String> names, Set<String> pending,
        String version, boolean wildcard, Consumer<DeltaResponse> consumer) {
      super(request, Map.of(), pending, version, wildcard, consumer);
      this.basis = basis;
      this.type = type;
      this.names = names;
    }

    @Override
    public Map<String, String> trackedResources() {
      Map<String, String> m = new HashMap<>();
      for (Resource x : basis.get(type)) {
        if (names == null || names.contains(x.name())) {
          m.put(x.name(), x.hash());
        }
      }
      return m;
    }
  }

  /**
   * SotW: answer when the type's version differs from the one the client holds, when it asks for
   * names it was not sent yet that now exist, or (EDS) right after a CDS change, for cluster warming.
   */
  private static boolean shouldAnswer(XdsRequest req, XdsResources r, XdsResources.Type t, Set<String> known,
      boolean clusterChanged) {
    if (!r.version(t).equals(req.getVersionInfo())) {
      return true;
    }
    if (clusterChanged && t == XdsResources.Type.ENDPOINT) {
      return true;
    }
    return newNames(req, r, t, known);
  }

  /** Whether the request names a resource the client was not sent and that exists now. */
  private static boolean newNames(XdsRequest req, XdsResources r, XdsResources.Type t, Set<String> known) {
    Set<String> have = names(r, t);
    for (String n : req.getResourceNamesList()) {
      if (!known.contains(n) && have.contains(n)) {
        return true;
      }
    }
    return false;
  }

  private static int respond(Watch w, XdsResources r, XdsResources.Type t) {
    List<String> names = w.request().getResourceNamesList();
    boolean all = names.isEmpty() && (t == XdsResources.Type.LISTENER || t == XdsResources.Type.CLUSTER);
    Collection<Message> out = new ArrayList<>();
    Set<String> wanted = Set.copyOf(names);
    for (Resource res : r.get(t)) {
      if (all || wanted.contains(res.name())) {
        out.add(res.proto());
      }
    }
    try {
      w.respond(Response.create(w.request(), out, r.version(t)));
      return 1;
    } catch (WatchCancelledException e) {
      return 0;
    }
  }

  private static int respond(DeltaWatch w, DeltaResponse d) {
    try {
      w.respond(d);
      return 1;
    } catch (WatchCancelledException e) {
      return 0;
    }
  }

  /** The delta to send to a parked watch, or null when its client is up to date. */
  private static DeltaResponse diff(DeltaWatch w, XdsResources r, XdsResources.Type t) {
    return diff(w.request(), w.trackedResources(), w.pendingResources(), w.isWildcard(), r, t);
  }

  /** The delta to send to a client that tracks {@code tracked} and waits for {@code pending}, or null. */
  private static DeltaResponse diff(DeltaXdsRequest request, Map<String, String> tracked, Set<String> pending,
      boolean wildcard, XdsResources r, XdsResources.Type t) {
    Map<String, Resource> ours = new LinkedHashMap<>();
    r.get(t).forEach(x -> ours.put(x.name(), x));
    Set<String> considered = new HashSet<>(tracked.keySet());
    considered.addAll(pending);
    if (wildcard) {
      considered.addAll(ours.keySet());
    }
    Map<String, VersionedResource<?>> updated = new HashMap<>();
    List<String> removed = new ArrayList<>();
    for (String name : considered) {
      Resource res = ours.get(name);
      if (res == null) {
        if (tracked.containsKey(name)) {
          removed.add(name);
        }
      } else if (!res.hash().equals(tracked.get(name))) {
        // Keyed by our own name instance, not the client's: java-control-plane keeps this key in
        // the stream's tracked versions for as long as the stream lives, and a subscription's
        // names are the client's strings, one copy per stream (4 KB of every held stream).
        updated.put(res.name(), VersionedResource.create(res.proto(), res.hash()));
      }
    }
    if (updated.isEmpty() && removed.isEmpty()) {
      return null;
    }
    removed.sort(null);
    return DeltaResponse.create(request, updated, removed, r.version(t));
  }

  private static Set<String> names(XdsResources r, XdsResources.Type t) {
    Set<String> s = new HashSet<>();
    r.get(t).forEach(x -> s.add(x.name()));
    return s;
  }

  static XdsResources.Type typeOf(String typeUrl) {
    for (XdsResources.Type t : XdsResources.Type.values()) {
      if (t.typeUrl().equals(typeUrl)) {
        return t;
      }
    }
    return null;
  }
}
