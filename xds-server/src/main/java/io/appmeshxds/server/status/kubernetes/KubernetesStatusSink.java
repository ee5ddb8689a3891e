package io.appmeshxds.server.status.kubernetes;

import io.appmeshxds.server.source.kubernetes.AppMeshKinds;
import io.appmeshxds.server.status.StatusSink;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.status.StatusReport;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each object's App Mesh condition ({@code VirtualNodeActive}, … with our reasons) and
 * {@code observedGeneration} to its status subresource, in the shape App Mesh's CRDs define:
 * {@code status.conditions[{type,status,lastTransitionTime,reason,message}]} and {@code
 * status.observedGeneration}. Other status fields (the ARNs the AWS controller wrote) and other
 * condition types are left as they are.
 *
 * <ul>
 *   <li>Asynchronous: {@link #publish} only records what each object's status should be and wakes
 *       the writer thread; the reconciler never waits for the API server.
 *   <li>Coalesced: one pending entry per object; a newer report replaces it before it is written.
 *   <li>Diff before write: the object's current status is read and nothing is written when it
 *       already says the same; {@code lastTransitionTime} is kept unless the condition's status
 *       changes.
 *   <li>Conflicts (409) are retried against a fresh read.
 *   <li>Only while {@link #leader(boolean) leading}: replicas that are not leader remember the
 *       latest statuses and write them all (diffed) when they become leader.
 * </ul>
 */
public final class KubernetesStatusSink implements StatusSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesStatusSink.class);
  private static final int MAX_CONFLICT_RETRIES = 5;

  /** What one object's status should say. */
  record Desired(ObjectRef ref, Condition condition, long observedGeneration) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<ObjectRef, Desired> latest = new ConcurrentHashMap<>();
  private final Map<ObjectRef, Desired> pending = new ConcurrentHashMap<>();
  private StatusReport lastReport = StatusReport.empty();
  private final ReentrantLock lock = new ReentrantLock();
  private final java.util.concurrent.locks.Condition wake = lock.newCondition();
  private final AtomicLong writes = new AtomicLong();
  /** Statuses taken off {@link #pending} and not yet written (or put back): part of {@link #pending()}. */
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicLong conflicts = new AtomicLong();
  private volatile boolean leader;
  private volatile boolean running = true;
  private final Thread thread;

  public KubernetesStatusSink(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.thread = new Thread(this::loop, "status-writer");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public synchronized void publish(StatusReport report) {
    StatusReport before = lastReport;
    lastReport = report;
    boolean[] any = {false};
    // Only what changed since the last report is looked at; "latest" holds the rest.
    StatusReport.changes(before, report, ref -> {
      ObjectStatus s = report.get(ref);
      Kind kind = ref.appMeshKind();
      if (s == null || kind == null || s.condition() == null) {
        latest.remove(ref); // gone, or a BackendGroup: App Mesh gave it no condition
        pending.remove(ref);
        return;
      }
      Desired d = new Desired(ref, s.condition(), s.observedGeneration());
      if (!d.equals(latest.put(ref, d))) {
        pending.put(ref, d);
        any[0] = true;
      }
    });
    if (any[0]) {
      wakeUp();
    }
  }

  /**
   * An object appeared in the API (possibly re-created under the same name, without a status): its
   * latest status is compared and written again even if translation's verdict did not change.
   */
  public void touch(ObjectRef ref) {
    Desired d = latest.get(ref);
    if (d != null) {
      pending.put(ref, d);
      wakeUp();
    }
  }

  /** Called by leader election: only the leader writes. Becoming leader writes every status (diffed). */
  public void leader(boolean isLeader) {
    if (isLeader && !leader) {
      pending.putAll(latest);
    }
    leader = isLeader;
    LOG.info("status writer {}", isLeader ? "active (this replica leads)" : "idle (another replica leads)");
    wakeUp();
  }

  public boolean isLeader() {
    return leader;
  }

  /** Status subresource writes that succeeded. */
  public long writes() {
    return writes.get();
  }

  /** 409 answers retried. */
  public long conflicts() {
    return conflicts.get();
  }

  /**
   * Objects whose status is waiting to be compared and maybe written, plus the one being written:
   * 0 means every write taken up has also been counted in {@link #writes()}.
   */
  public int pending() {
    return pending.size() + inFlight.get();
  }

  private void wakeUp() {
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (running) {
      try {
        lock.lock();
        try {
          while (running && (!leader || pending.isEmpty())) {
            wake.await();
          }
        } finally {
          lock.unlock();
        }
        for (ObjectRef ref : new ArrayList<>(pending.keySet())) {
          if (!leader || !running) {
            break;
          }
          inFlight.incrementAndGet(); // before the removal, so that pending() never dips to 0 mid-write
          boolean written;
          try {
            Desired d = pending.remove(ref);
            written = d == null || write(d);
            if (!written) {
              pending.putIfAbsent(ref, d); // a newer one wins; otherwise try again after a pause
            }
          } finally {
            inFlight.decrementAndGet();
          }
          if (!written) {
            Thread.sleep(1000);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("status writer: {}", e.toString());
      }
    }
  }

  /** Compares and writes one status; false when the API could not be reached (to retry later). */
  boolean write(Desired d) {
    var op = operation(d.ref());
    Resource<GenericKubernetesResource> res = op.withName(d.ref().name());
    for (int attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
      GenericKubernetesResource cur;
      try {
        cur = res.get();
      } catch (KubernetesClientException e) {
        LOG.warn("status of {}: cannot read it: {}", d.ref(), e.getMessage());
        return false;
      }
      if (cur == null) {
        return true; // deleted meanwhile
      }
      Map<String, Object> status = updatedStatus(cur, d);
      if (status == null) {
        return true; // already says this
      }
      cur.setAdditionalProperty("status", status);
      try {
        op.resource(cur).updateStatus();
        writes.incrementAndGet();
        LOG.debug("status of {} written: {} {}", d.ref(), d.condition().status(), d.condition().reason());
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          conflicts.incrementAndGet();
          continue; // someone else wrote the object: read it again
        }
        if (e.getCode() == 404) {
          return true;
        }
        LOG.warn("status of {}: write failed: {}", d.ref(), e.getMessage());
        return false;
      }
    }
    LOG.warn("status of {}: gave up after {} conflicts; the next report retries", d.ref(), MAX_CONFLICT_RETRIES + 1);
    return true;
  }

  /** The new status map, or null when the current one already says the same. */
  @SuppressWarnings("unchecked")
  Map<String, Object> updatedStatus(GenericKubernetesResource cur, Desired d) {
    Object raw = cur.getAdditionalProperties().get("status");
    Map<String, Object> status = raw instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
    List<Object> conditions = status.get("conditions") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
    Condition c = d.condition();
    Map<String, Object> existing = null;
    int index = -1;
    for (int i = 0; i < conditions.size(); i++) {
      if (conditions.get(i) instanceof Map<?, ?> m && c.type().equals(m.get("type"))) {
        existing = (Map<String, Object>) m;
        index = i;
        break;
      }
    }
    long generation = d.observedGeneration() != 0 ? d.observedGeneration()
        : cur.getMetadata().getGeneration() == null ? 0 : cur.getMetadata().getGeneration();
    Object observed = status.get("observedGeneration");
    boolean sameGeneration = observed instanceof Number n && n.longValue() == generation;
    if (existing != null && sameGeneration && c.status().equals(existing.get("status"))
        && c.reason().name().equals(existing.get("reason")) && Objects.equals(c.message(), existing.getOrDefault("message", ""))
        && existing.get("lastTransitionTime") != null) {
      return null;
    }
    Map<String, Object> next = new LinkedHashMap<>();
    next.put("type", c.type());
    next.put("status", c.status());
    next.put("lastTransitionTime", existing != null && c.status().equals(existing.get("status"))
        && existing.get("lastTransitionTime") != null
        ? existing.get("lastTransitionTime")
        : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    next.put("reason", c.reason().name());
    next.put("message", c.message());
    if (index >= 0) {
      conditions.set(index, next);
    } else {
      conditions.add(next);
    }
    status.put("conditions", conditions);
    status.put("observedGeneration", generation);
    return status;
  }

  private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
      operation(ObjectRef ref) {
    var op = client.genericKubernetesResources(AppMeshKinds.context(ref.appMeshKind()));
    return ref.namespace() == null ? op : op.inNamespace(ref.namespace());
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    wakeUp();
    thread.interrupt();
    thread.join(2000);
  }
}
