package io.appmeshxds.translator.xds;

import com.google.protobuf.Message;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.plan.RouteConfigPlan;
import io.appmeshxds.translator.plan.RoutePlan;
import io.appmeshxds.translator.plan.VirtualHostPlan;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.appmeshxds.translator.xds.XdsResources.Resource;
import io.appmeshxds.translator.xds.XdsResources.Type;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns plans into Envoy v3 resources. Each sub-plan (listener, route configuration, cluster, load
 * assignment) is built and hashed once and shared by every proxy whose plan contains an equal one,
 * in this build and later ones. {@link #endGeneration()} drops entries unused since the previous
 * call; between calls the cache is bounded, least recently used first ({@link #capacity(int)}).
 *
 * <p>Not thread-safe: one reconciler owns an instance.
 */
public final class XdsTranslator {
  private final ListenerFactory listeners;
  private static final class Entry {
    final Resource resource;
    long generation;

    Entry(Resource resource, long generation) {
      this.resource = resource;
      this.generation = generation;
    }
  }

  private final LinkedHashMap<Object, Entry> cache = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Object, Entry> eldest) {
      return size() > capacity;
    }
  };
  private final LinkedHashMap<Ident, Entry> byInstance = instanceMap();
  private final LinkedHashMap<Ident, Host> hosts = instanceMap();
  private final LinkedHashMap<Ident, io.envoyproxy.envoy.config.route.v3.Route> routes = instanceMap();
  private int capacity = Integer.MAX_VALUE;
  /** Bound of each instance-keyed map; see {@link #endPass()}. */
  private int identCapacity = Integer.MAX_VALUE;
  /** Instance lookups since the last {@link #endPass()}. */
  private int identLookups;
  private long generation;
  private long built;

  public XdsTranslator() {
    this(List.of());
  }

  /** A map keyed by plan instance, least recently used first, bounded by {@link #identCapacity}. */
  private <V> LinkedHashMap<Ident, V> instanceMap() {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Ident, V> eldest) {
        return size() > identCapacity;
      }
    };
  }

  public XdsTranslator(List<ExtensionFactory> extensions) {
    this.listeners = new ListenerFactory(List.copyOf(extensions));
  }

  /** All resources of one proxy. */
  public XdsResources translate(ProxyPlan plan) {
    return translate(plan, null, null);
  }

  /**
   * All resources of one proxy, reusing what is unchanged from {@code previous} (the proxy's last
   * resources, or null; see {@link XdsResources#XdsResources(NodeKey, Map, XdsResources)}), told the
   * plan {@code previous} was translated from ({@code previousPlan}, or null): a type whose
   * sub-plans are the very same instances as that plan's takes its resources from {@code previous}
   * without looking each one up. Why: re-planned proxies share memoized sub-plans (and adapted
   * plans keep their listeners), so after a route change their listeners, clusters and load
   * assignments are the same objects, and eighty cache lookups per proxy were a seventh of
   * re-translating it. Do not use it for a build from scratch: entries it skips are not marked used
   * for {@link #endGeneration()}.
   */
  public XdsResources translate(ProxyPlan plan, ProxyPlan previousPlan, XdsResources previous) {
    Dialect d = plan.key().dialect();
    boolean same = previous != null && previous.key().equals(plan.key());
    boolean reuse = same && previousPlan != null && previousPlan.key().equals(plan.key());
    Map<Type, List<Resource>> out = new EnumMap<>(Type.class);
    out.put(Type.LISTENER, each(plan.listeners(), reuse ? previousPlan.listeners() : null, previous, Type.LISTENER,
        l -> cached(l, d, () -> Resource.of(Names.listener(l), listeners.build(l, d)))));
    out.put(Type.ROUTE, each(plan.routeConfigs(), null, previous, Type.ROUTE, r -> routeConfig(r, d)));
    out.put(Type.CLUSTER, each(plan.clusters(), reuse ? previousPlan.clusters() : null, previous, Type.CLUSTER,
        c -> cached(c, d, () -> Resource.of(Names.cluster(c.id()), ClusterFactory.build(c, d)))));
    out.put(Type.ENDPOINT, each(plan.endpoints(), reuse ? previousPlan.endpoints() : null, previous, Type.ENDPOINT,
        e -> cached(e, null, () -> Resource.of(Names.cluster(e.cluster()), EndpointFactory.build(e)))));
    // Why not cached like the others: a secret belongs to the proxies that reference it, and the
    // translator's cache would keep a renewed certificate's old key alive after no plan holds it.
    List<Resource> secrets = new ArrayList<>(plan.secrets().size());
    plan.secrets().forEach(sp -> secrets.add(Resource.of(Names.secret(sp.ref()), TlsFactory.secret(sp))));
    out.put(Type.SECRET, secrets);
    return new XdsResources(plan.key(), out, same ? previous : null);
  }

  /**
   * The resources of {@code plans}: {@code previous}'s list of {@code type} when {@code before} (the
   * previous plan's sub-plans, or null) holds the very same instances, else one each from {@code
   * build}.
   */
  private static <P> List<Resource> each(List<P> plans, List<P> before, XdsResources previous, Type type,
      Function<P, Resource> build) {
    if (before != null && XdsResources.sameInstances(plans, before)) {
      return previous.get(type);
    }
    List<Resource> out = new ArrayList<>(plans.size());
    for (P p : plans) {
      out.add(build.apply(p));
    }
    return out;
  }

  /**
   * The resource of a sub-plan: by instance first (planners share memoized sub-plans, and an
   * instance lookup costs no deep hashing), then by equality.
   */
  private Resource cached(Object plan, Dialect d, Supplier<Resource> build) {
    Ident ik = new Ident(plan, d);
    identLookups++;
    Entry e = byInstance.get(ik);
    if (e == null) {
      Object key = d == null ? plan : List.of(plan, d);
      e = cache.get(key);
      if (e == null) {
        e = new Entry(build.get(), generation);
        built++;
        cache.put(key, e);
      }
      byInstance.put(ik, e);
    }
    e.generation = generation;
    return e.resource;
  }

  /**
   * A route configuration assembled from cached virtual hosts. Its content hash is the hash of its
   * name and its hosts' hashes in order: as deterministic as hashing its bytes, without serializing
   * kilobytes per proxy. Why no cache of whole configurations: each proxy's combination of
   * backends is its own, so they rarely repeat, and assembling one costs less than hashing its plan.
   */
  private Resource routeConfig(RouteConfigPlan r, Dialect d) {
    String name = Names.routeConfig(r.id());
    RouteConfiguration.Builder b = RouteConfiguration.newBuilder().setName(name);
    StringBuilder content = new StringBuilder(name);
    for (VirtualHostPlan vh : r.virtualHosts()) {
      Host h = host(vh, d);
      b.addVirtualHosts(h.proto());
      content.append('\n').append(h.hash());
    }
    return new Resource(name, b.build(), XdsResources.hash(content.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private record Host(VirtualHost proto, String hash) {}

  /**
   * A virtual host, cached by plan instance. Why by instance: planners share one virtual host plan
   * among every proxy that reaches the service, so the instance is the cheap key; equal copies just
   * build again.
   */
  private Host host(VirtualHostPlan vh, Dialect d) {
    Ident key = new Ident(vh, d);
    identLookups++;
    Host h = hosts.get(key);
    if (h == null) {
      VirtualHost proto = RouteFactory.virtualHost(vh, d, (r, hoisted) -> route(r, d, hoisted));
      h = new Host(proto, XdsResources.hash(Protos.bytes(proto)));
      hosts.put(key, h);
    }
    return h;
  }

  /**
   * A route, cached by plan instance. Why: a gateway's virtual host holds the composed routes of
   * every gateway route on its listener; when one target changes the host is new, but the other
   * routes are the same (memoized) plans and need not be built again.
   */
  private io.envoyproxy.envoy.config.route.v3.Route route(RoutePlan r, Dialect d, boolean hoisted) {
    Ident key = new Ident(r, d, hoisted);
    identLookups++;
    io.envoyproxy.envoy.config.route.v3.Route proto = routes.get(key);
    if (proto == null) {
      proto = RouteFactory.route(hoisted ? RouteFactory.withoutRetry(r) : r, d);
      routes.put(key, proto);
    }
    return proto;
  }

  /** A key equal only to the same plan instance (and dialect, and for routes whether the retry was hoisted). */
  private record Ident(Object plan, Dialect dialect, boolean hoisted) {
    Ident(Object plan, Dialect dialect) {
      this(plan, dialect, false);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ident i && i.plan == plan && i.dialect == dialect && i.hoisted == hoisted;
    }

    @Override
    public int hashCode() {
      return (System.identityHashCode(plan) * 31 + (dialect == null ? 0 : dialect.hashCode())) * 2 + (hoisted ? 1 : 0);
    }
  }

  /**
   * Ends a generation: resources not used since the previous call are forgotten. Call it after
   * translating every proxy (a build from scratch); after translating only some, unused entries
   * are still wanted by the proxies not translated.
   */
  public void endGeneration() {
    cache.values().removeIf(e -> e.generation != generation);
    hosts.clear();
    routes.clear();
    byInstance.clear();
    generation++;
  }

  /** Bounds the cache to {@code entries}, dropping the least recently used first. */
  public void capacity(int entries) {
    this.capacity = entries;
  }

  /**
   * Ends a pass (the proxies one build translates): the instance-keyed maps keep room for twice
   * what this pass looked up, least recently used dropped first. Why: their keys are plan
   * instances, and a key held after its plan was replaced keeps the whole dead plan reachable; sized
   * to the whole cache they kept tens of megabytes of replaced plans alive through every young
   * collection (45 ms pauses at M1k). A dropped instance still finds its resource by equality.
   */
  public void endPass() {
    identCapacity = Math.max(MIN_IDENTS, identLookups);
    identLookups = 0;
    trim(byInstance, identCapacity);
    trim(hosts, identCapacity);
    trim(routes, identCapacity);
  }

  private static final int MIN_IDENTS = 1024;

  private static void trim(LinkedHashMap<?, ?> m, int max) {
    var it = m.entrySet().iterator();
    for (int n = m.size(); n > max && it.hasNext(); n--) {
      it.next();
      it.remove();
    }
  }

  /** Entries of the instance-keyed maps now; for tests. */
  int instancesCached() {
    return byInstance.size() + hosts.size() + routes.size();
  }

  /** Resources cached now. */
  public int cached() {
    return cache.size();
  }

  /** Resources built (not reused) since this translator was created; for tests and metrics. */
  public long builtCount() {
    return built;
  }

  /** A proto of {@code type} by name, or null. */
  public static Message find(XdsResources r, Type type, String name) {
    return r.get(type).stream().filter(x -> x.name().equals(name)).map(Resource::proto).findFirst().orElse(null);
  }
}
