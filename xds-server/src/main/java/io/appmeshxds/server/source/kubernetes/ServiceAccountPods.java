package io.appmeshxds.server.source.kubernetes;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running pods proxy authorization asks about: one pod informer (every namespace, or the one
 * {@code serve --namespace} watches), each pod kept only as its service account and labels, and only
 * while it runs (phase not Succeeded or Failed, no deletion timestamp).
 *
 * <p>Why one informer over the whole scope rather than one per namespace holding VirtualNodes: it
 * is listed while the App Mesh kinds are, so the first proxies after a restart are already checked
 * against pods, and it is one watch instead of one per meshed namespace. Memory: the informer's
 * store keeps only each pod's key and resourceVersion ({@link ReducedStateItemStore}); this index
 * keeps per running pod its name, an interned service-account name and an interned label map (the
 * pods of one ReplicaSet share theirs): 130 bytes a pod measured (ServiceAccountPodsTest), plus one
 * map per distinct label set — some 20 MB for 150,000 pods, Kubernetes' documented cluster limit.
 *
 * <p>Needs {@code get,list,watch} on pods. Nothing of fabric8 leaves this class.
 */
public final class ServiceAccountPods implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountPods.class);
  private static final long FAILURE_LOG_NANOS = 300_000_000_000L;

  /** A running pod: its service account and labels (both interned). */
  record Entry(String serviceAccount, Map<String, String> labels) {}

  private final String namespace;
  /** Running pods by namespace, then pod name. */
  private final Map<String, Map<String, Entry>> pods = new ConcurrentHashMap<>();
  private final Interner<String> names = Interners.newWeakInterner();
  private final Interner<Map<String, String>> labelSets = Interners.newWeakInterner();
  private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - FAILURE_LOG_NANOS);
  private volatile boolean listed;
  private SharedIndexInformer<Pod> informer;

  /**
   * @param namespace the only namespace whose pods are watched, or null for every namespace
   */
  public ServiceAccountPods(String namespace) {
    this.namespace = namespace;
  }

  /** Starts the informer (returns at once; {@link #known()} turns true once the pods are listed). */
  public ServiceAccountPods start(KubernetesClient client) {
    informer = (namespace == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(namespace)).runnableInformer(0);
    informer.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Pod.class,
        client.getKubernetesSerialization()));
    informer.exceptionHandler((started, t) -> {
      long now = System.nanoTime();
      long last = lastFailureLog.get();
      if (now - last >= FAILURE_LOG_NANOS && lastFailureLog.compareAndSet(last, now)) {
        boolean forbidden = t instanceof KubernetesClientException k && k.getCode() == 403;
        LOG.warn("proxy authorization: cannot list/watch pods{} ({}); retrying, and until then proxies are checked by "
            + "namespace only{} (at most one such line in 5 minutes)", namespace == null ? "" : " in " + namespace, t.toString(),
            forbidden ? ". Grant get/list/watch on pods (deploy/ does) or run with --proxy-authorization-pods off" : "");
      }
      return true;
    });
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        apply(p);
      }

      @Override
      public void onUpdate(Pod before, Pod p) {
        apply(p);
      }

      @Override
      public void onDelete(Pod p, boolean unknownFinalState) {
        remove(p.getMetadata().getNamespace(), p.getMetadata().getName());
      }

      @Override
      public void onList(String rv, boolean remainedEmpty) {
        if (!listed) {
          listed = true;
          LOG.info("proxy authorization: pods of {} listed ({} running); a proxy's service account must now run a pod its "
              + "node's podSelector selects", namespace == null ? "every namespace" : namespace, size());
        }
      }
    });
    informer.start();
    return this;
  }

  /** Applies a pod as the informer sees it: kept while it runs, else forgotten. */
  void apply(Pod p) {
    var md = p.getMetadata();
    if (md == null || md.getNamespace() == null || md.getName() == null) {
      return;
    }
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    String sa = p.getSpec() == null ? null : p.getSpec().getServiceAccountName();
    if (md.getDeletionTimestamp() != null || "Succeeded".equals(phase) || "Failed".equals(phase) || sa == null
        || sa.isEmpty()) {
      remove(md.getNamespace(), md.getName());
      return;
    }
    Map<String, String> labels = md.getLabels() == null ? Map.of() : labels(md.getLabels());
    pods.computeIfAbsent(md.getNamespace(), k -> new ConcurrentHashMap<>())
        .put(md.getName(), new Entry(names.intern(sa), labelSets.intern(labels)));
  }

  /** An immutable copy; an entry without key or value (no API server sends one) is left out, not thrown on. */
  private static Map<String, String> labels(Map<String, String> m) {
    if (!m.containsKey(null) && !m.containsValue(null)) {
      return Map.copyOf(m);
    }
    Map<String, String> copy = new java.util.HashMap<>();
    m.forEach((k, v) -> {
      if (k != null && v != null) {
        copy.put(k, v);
      }
    });
    return Map.copyOf(copy);
  }

  private void remove(String ns, String name) {
    if (ns == null || name == null) {
      return;
    }
    // Handlers run on one thread, so an emptied namespace cannot gain a pod while it is dropped.
    pods.computeIfPresent(ns, (k, m) -> {
      m.remove(name);
      return m.isEmpty() ? null : m;
    });
  }

  /** Whether the pods are listed and their watch is open: only then do answers say anything. */
  public boolean known() {
    SharedIndexInformer<Pod> inf = informer;
    return listed && (inf == null || inf.isWatching());
  }

  /** Marks the pods listed without an informer (tests feeding {@link #apply} directly). */
  void listedForTest() {
    listed = true;
  }

  /**
   * Whether a running pod of {@code ns} under {@code serviceAccount} has labels {@code selects}
   * accepts; null when unknown (another namespace than the one watched, not listed yet, watch
   * down). A scan of that namespace's running pods.
   */
  public Boolean anyRunning(String ns, String serviceAccount, Predicate<Map<String, String>> selects) {
    if (!known() || (namespace != null && !namespace.equals(ns))) {
      return null;
    }
    Map<String, Entry> m = pods.get(ns);
    if (m == null) {
      return false;
    }
    for (Entry e : m.values()) {
      if (e.serviceAccount().equals(serviceAccount) && selects.test(e.labels())) {
        return true;
      }
    }
    return false;
  }

  /** Running pods kept. */
  public int size() {
    int n = 0;
    for (Map<String, Entry> m : pods.values()) {
      n += m.size();
    }
    return n;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
