package io.appmeshxds.server.source.kubernetes;

import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Problem;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as a source: one informer per kind (the seven App Mesh kinds, Namespaces, Services,
 * EndpointSlices, and Gateway API's HTTPRoutes, GRPCRoutes and ReferenceGrants), each a store
 * partition and a registered source of its own.
 *
 * <p>Gateway API's CRDs are optional: API discovery says first whether the cluster serves each
 * kind. A kind it does not serve is logged once and counts as synced and empty, so the App Mesh
 * kinds are served without it; discovery is asked again every {@link #gatewayApiRecheck} and the
 * kind is watched from the moment its CRD is installed. A CRD removed later (a 404 on relist)
 * drops the kind's objects and goes back to asking. A discovery that fails (network, 5xx, 403)
 * leaves the kind unsynced and is retried: a route that exists must not be left out of a build.
 *
 * <p>Sync: a kind reports synced from its handler's {@code onList} callback, which fabric8 delivers
 * after the add/update/delete notifications of that list. Why not {@code hasSynced()}: it turns true
 * when the informer's cache is filled, before our handler has necessarily seen every object, so a
 * build could still see a partial store.
 *
 * <p>Relists (after a watch error, an expired resource version or an API server restart): fabric8
 * diffs the new list against its cache and notifies only what really changed (objects gone from the
 * list are deleted one by one after every listed object is updated; it never empties the cache
 * first). On top of that, {@code onBeforeList} marks the kind unsynced, so the reconciler builds
 * nothing while a relist is half applied; the last published configuration stays served until the
 * list is complete. A failed list is retried with backoff and the kind stays unsynced until it
 * succeeds.
 *
 * <p>Memory: the informers keep only keys and resource versions (a {@link ReducedStateItemStore});
 * the trimmed records in the {@link ResourceStore} are the one copy of what translation reads.
 */
public final class KubernetesSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesSource.class);

  private final KubernetesClient client;
  private final ResourceStore store;
  private final String namespace;
  private final ResourceConverter converter;
  private final List<Feed<?>> feeds = new ArrayList<>();
  private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
  private final List<Feed<GenericKubernetesResource>> gatewayFeeds = new ArrayList<>();
  private final ScheduledExecutorService discovery = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gateway-api-discovery");
    t.setDaemon(true);
    return t;
  });
  private volatile Duration gatewayApiRecheck = Duration.ofSeconds(60);
  private volatile boolean closed;
  private volatile java.util.function.Consumer<ObjectRef> onAppMeshAdded = r -> {};

  /**
   * @param client the API client (in-cluster config or kubeconfig)
   * @param store where objects go
   * @param namespace watch only this namespace (Meshes are cluster-scoped and always watched), or
   *     null for every namespace
   */
  public KubernetesSource(KubernetesClient client, ResourceStore store, String namespace) {
    this.client = client;
    this.store = store;
    this.namespace = namespace;
    this.converter = new ResourceConverter(client.getKubernetesSerialization());
    for (Kind k : Kind.values()) {
      feeds.add(new Feed<GenericKubernetesResource>(k.name(), r -> ObjectRef.of(k, ns(r), r.getMetadata().getName()), true) {
        @Override
        Value convert(GenericKubernetesResource r) {
          ResourceConverter.Converted c = converter.appMesh(r);
          return new Value(c.object(), c.problems());
        }
      });
    }
    feeds.add(new Feed<Namespace>("Namespace", r -> ResourceConverter.namespaceRef(r.getMetadata().getName()), false) {
      @Override
      Value convert(Namespace r) {
        return new Value(ResourceConverter.namespace(r), List.of());
      }
    });
    feeds.add(new Feed<Service>("Service", r -> new ObjectRef("Service", ns(r), r.getMetadata().getName()), false) {
      @Override
      Value convert(Service r) {
        return new Value(ResourceConverter.service(r), List.of());
      }
    });
    feeds.add(new Feed<EndpointSlice>("EndpointSlice", r -> new ObjectRef("EndpointSlice", ns(r), r.getMetadata().getName()),
        false) {
      @Override
      Value convert(EndpointSlice r) {
        return new Value(ResourceConverter.endpointSlice(r), List.of());
      }
    });
    for (GatewayApiKinds k : GatewayApiKinds.values()) {
      // Read like a manifest document (the loader knows these kinds); a route that cannot be read
      // any more keeps its last readable version served, as App Mesh objects do.
      Feed<GenericKubernetesResource> f = new Feed<>(k.kind(), r -> new ObjectRef(k.kind(), ns(r), r.getMetadata().getName()),
          true) {
        @Override
        Value convert(GenericKubernetesResource r) {
          ResourceConverter.Converted c = converter.appMesh(r);
          return new Value(c.object(), c.problems());
        }
      };
      f.gatewayApi = k;
      f.known = ConcurrentHashMap.newKeySet();
      feeds.add(f);
      gatewayFeeds.add(f);
    }
    feeds.forEach(f -> store.register(f.id));
  }

  private static String ns(HasMetadata r) {
    return r.getMetadata().getNamespace();
  }

  /**
   * Called (on an informer thread) when an App Mesh object appears, e.g. deleted and created again
   * under the same name: the status writer uses it to write the status of the new object even when
   * translation's verdict did not change.
   */
  public void onAppMeshAdded(java.util.function.Consumer<ObjectRef> listener) {
    onAppMeshAdded = listener;
  }

  /**
   * How often API discovery is asked again for a Gateway API kind the cluster does not serve
   * (default 60 s). Set before {@link #start()}.
   */
  public KubernetesSource gatewayApiRecheck(Duration every) {
    gatewayApiRecheck = every;
    return this;
  }

  /** Starts every informer; returns at once (sync is reported to the store as each kind lists). */
  public KubernetesSource start() {
    int i = 0;
    for (Kind k : Kind.values()) {
      var op = client.genericKubernetesResources(AppMeshKinds.context(k));
      SharedIndexInformer<GenericKubernetesResource> inf = k.namespaced() && namespace != null
          ? op.inNamespace(namespace).runnableInformer(0) : op.inAnyNamespace().runnableInformer(0);
      start(inf, GenericKubernetesResource.class, feeds.get(i++));
    }
    SharedIndexInformer<Namespace> nsInf = namespace != null
        ? client.namespaces().withField("metadata.name", namespace).runnableInformer(0)
        : client.namespaces().runnableInformer(0);
    start(nsInf, Namespace.class, feeds.get(i++));
    start(namespace != null ? client.services().inNamespace(namespace).runnableInformer(0)
        : client.services().inAnyNamespace().runnableInformer(0), Service.class, feeds.get(i++));
    var slices = client.discovery().v1().endpointSlices();
    start(namespace != null ? slices.inNamespace(namespace).runnableInformer(0)
        : slices.inAnyNamespace().runnableInformer(0), EndpointSlice.class, feeds.get(i++));
    for (Feed<GenericKubernetesResource> f : gatewayFeeds) {
      discovery.execute(() -> startGatewayApi(f));
    }
    LOG.info("watching {} in {}", feeds.stream().map(f -> f.kind).toList(),
        namespace == null ? "every namespace" : "namespace " + namespace + " (and cluster-scoped Meshes)");
    return this;
  }

  /**
   * Asks discovery whether a Gateway API kind is served; watches it if so, else counts it as synced
   * and empty and asks again later. Runs on the discovery thread.
   */
  private void startGatewayApi(Feed<GenericKubernetesResource> f) {
    if (closed) {
      return;
    }
    GatewayApiKinds k = f.gatewayApi;
    GatewayApiKinds.Discovery d;
    try {
      d = k.discover(client);
    } catch (RuntimeException e) {
      d = new GatewayApiKinds.Unknown(e.toString());
    }
    if (d instanceof GatewayApiKinds.Served s) {
      f.absentLogged = false;
      f.unknownLogged = false;
      var op = client.genericKubernetesResources(k.context(s.version()));
      SharedIndexInformer<GenericKubernetesResource> inf = namespace != null && k.namespaced()
          ? op.inNamespace(namespace).runnableInformer(0) : op.inAnyNamespace().runnableInformer(0);
      LOG.info("{}: served as {}/{}; watching it", f.kind, io.appmeshxds.translator.input.GatewayApi.GROUP, s.version());
      try {
        start(inf, GenericKubernetesResource.class, f);
      } catch (RuntimeException e) {
        LOG.warn("{}: cannot start its informer, retrying: {}", f.kind, e.toString());
        inf.close();
        informers.remove(inf);
        schedule(f, Duration.ofSeconds(2));
      }
    } else if (d instanceof GatewayApiKinds.Unknown u) {
      if (!f.unknownLogged) {
        LOG.warn("{}: API discovery failed, retrying (the kind stays unsynced meanwhile): {}", f.kind, u.error());
        f.unknownLogged = true;
      }
      schedule(f, Duration.ofSeconds(2));
    } else {
      if (!f.absentLogged) {
        LOG.info("{}: not served by the API server (Gateway API's CRD is not installed): treated as empty;"
            + " discovery is asked again every {}", f.kind, every());
        f.absentLogged = true;
      }
      f.absent();
      schedule(f, gatewayApiRecheck);
    }
  }

  private String every() {
    long ms = gatewayApiRecheck.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  private void schedule(Feed<GenericKubernetesResource> f, Duration after) {
    if (!closed) {
      try {
        discovery.schedule(() -> startGatewayApi(f), after.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> void start(SharedIndexInformer<T> inf, Class<T> type, Feed<?> feed) {
    inf.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, type, client.getKubernetesSerialization()));
    inf.exceptionHandler((started, t) -> {
      if (feed.gatewayApi != null && t instanceof io.fabric8.kubernetes.client.KubernetesClientException e
          && e.getCode() == 404) {
        // Gateway API's CRD was removed: its objects are gone with it; stop and ask discovery again.
        LOG.warn("{}: the API server no longer serves this kind (404); its objects are dropped and discovery is asked"
            + " again every {}", feed.kind, every());
        @SuppressWarnings("unchecked")
        Feed<GenericKubernetesResource> g = (Feed<GenericKubernetesResource>) feed;
        g.absentLogged = true;
        g.absent();
        informers.remove(inf); // stopped: discovery starts a new one when the kind comes back
        schedule(g, gatewayApiRecheck);
        return false;
      }
      // Always retry (with fabric8's backoff): a missing CRD or RBAC rule is logged and the kind
      // stays unsynced, so nothing partial is ever published.
      if (feed.gatewayApi != null && t instanceof io.fabric8.kubernetes.client.KubernetesClientException e
          && e.getCode() == 403) {
        LOG.warn("{}: forbidden (403): the control plane's ClusterRole lacks get/list/watch on gateway.networking.k8s.io"
            + " {} (deploy/base/rbac.yaml); builds wait until it is listed, retrying", feed.kind, feed.gatewayApi.plural());
        return true;
      }
      LOG.warn("{}: list/watch failed, retrying: {}", feed.kind, t.toString());
      return true;
    });
    inf.addEventHandler((ResourceEventHandler<T>) feed);
    informers.add(inf);
    inf.start();
  }

  /** Whether every kind has completed its latest list. */
  public boolean synced() {
    return feeds.stream().allMatch(f -> f.synced);
  }

  /** Waits (bounded) until {@link #synced()}; returns whether it did. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!synced()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** Kinds not synced now (for logs). */
  public List<String> unsynced() {
    return feeds.stream().filter(f -> !f.synced).map(f -> f.kind).toList();
  }

  @Override
  public void close() {
    closed = true;
    discovery.shutdownNow();
    informers.forEach(SharedIndexInformer::close);
  }

  /** The event handler of one kind, as its informer calls it (tests drive relists through it). */
  @SuppressWarnings("unchecked")
  <T extends HasMetadata> ResourceEventHandler<T> handler(String kind) {
    return (ResourceEventHandler<T>) feeds.stream().filter(f -> f.kind.equals(kind)).findFirst().orElseThrow();
  }

  /** One kind: its handler, partition and sync state. */
  private abstract class Feed<T extends HasMetadata> implements ResourceEventHandler<T> {
    final String kind;
    final String id;
    final String partition;
    final Function<T, ObjectRef> ref;
    final boolean keepLastGood;
    final Map<ObjectRef, Object> lastGood = new ConcurrentHashMap<>();
    volatile boolean synced;
    volatile boolean everSynced;
    volatile long listedAt;
    /** A Gateway API kind (optional CRD), else null. */
    GatewayApiKinds gatewayApi;
    /** Gateway API kinds: the refs in the store (dropped when the CRD goes away). */
    Set<ObjectRef> known;
    volatile boolean absentLogged;
    volatile boolean unknownLogged;

    Feed(String kind, Function<T, ObjectRef> ref, boolean keepLastGood) {
      this.kind = kind;
      this.id = "kubernetes:" + kind;
      this.partition = "k8s:" + kind;
      this.ref = ref;
      this.keepLastGood = keepLastGood;
    }

    record Value(Object object, List<Problem> problems) {}

    /** The kind is not served: nothing of it exists; synced (empty). */
    void absent() {
      for (ObjectRef r : List.copyOf(known)) {
        known.remove(r);
        lastGood.remove(r);
        store.put(partition, r, null, List.of());
      }
      synced = true;
      store.markSynced(id);
    }

    abstract Value convert(T r);

    @Override
    public void onBeforeList(String lastSyncResourceVersion) {
      synced = false;
      store.markUnsynced(id);
      listedAt = System.nanoTime();
      if (everSynced) {
        LOG.warn("{}: relisting (watch lost); builds wait until the list is complete, proxies keep their config", kind);
      }
    }

    @Override
    public void onList(String resourceVersion, boolean remainedEmpty) {
      synced = true;
      if (!everSynced || listedAt != 0) {
        LOG.info("{}: {} at resourceVersion {} ({} ms)", kind, everSynced ? "relisted" : "synced", resourceVersion,
            listedAt == 0 ? 0 : (System.nanoTime() - listedAt) / 1_000_000);
      }
      everSynced = true;
      listedAt = 0;
      store.markSynced(id);
    }

    @Override
    public void onAdd(T obj) {
      apply(obj);
      if (keepLastGood) {
        onAppMeshAdded.accept(ref.apply(obj));
      }
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      apply(newObj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      ObjectRef r = ref.apply(obj);
      lastGood.remove(r);
      if (known != null) {
        known.remove(r);
      }
      store.put(partition, r, null, List.of());
    }

    private void apply(T obj) {
      ObjectRef r = ref.apply(obj);
      Value v;
      try {
        v = convert(obj);
      } catch (RuntimeException e) {
        LOG.error("{}: cannot convert {}: {}", kind, r, e.toString());
        v = new Value(null, List.of(Problem.error(io.appmeshxds.translator.input.Reason.MalformedInput, r, "",
            "could not be read: " + e)));
      }
      Object object = v.object();
      if (keepLastGood) {
        if (object != null) {
          lastGood.put(r, object);
        } else {
          // Unreadable now: keep serving the last version we could read (its status says so).
          object = lastGood.get(r);
        }
      }
      if (known != null) {
        known.add(r);
      }
      store.put(partition, r, object, v.problems());
    }
  }
}
