package io.appmeshxds.server.status.kubernetes;

import io.appmeshxds.server.source.kubernetes.AppMeshKinds;
import io.appmeshxds.server.source.kubernetes.GatewayApiKinds;
import io.appmeshxds.server.status.StatusSink;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.input.GatewayApi;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
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
 *
 * <p>Gateway API HTTPRoutes and GRPCRoutes get {@code status.parents[]} instead, as Gateway API
 * defines it (see {@link RouteStatus}): one entry per Service parent under the mesh controller's
 * name and one per parent Gateway of ours under {@link GatewayApi#GATEWAY_CONTROLLER}, other
 * controllers' entries untouched. Gateways of our GatewayClass and that GatewayClass get their
 * {@code status.conditions} and a Gateway its {@code status.listeners} (see {@link GatewayStatus}).
 * All are written the same way (async, coalesced, diffed, leader only).
 */
public final class KubernetesStatusSink implements StatusSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesStatusSink.class);
  private static final int MAX_CONFLICT_RETRIES = 5;

  /** Controller name of our entries in Gateway API routes' {@code status.parents[]} (GAMMA routes). */
  public static final String DEFAULT_GATEWAY_CONTROLLER = "appmesh-xds.io/mesh-controller";

  /**
   * What one object's status should say; {@code route} is set for a Gateway API route, {@code
   * gateway} for a Gateway or GatewayClass of ours.
   */
  record Desired(ObjectRef ref, Condition condition, long observedGeneration, RouteStatus.Verdict route,
      GatewayStatus.Verdict gateway) {
    Desired(ObjectRef ref, Condition condition, long observedGeneration) {
      this(ref, condition, observedGeneration, null, null);
    }
  }

  private final KubernetesClient client;
  private final Clock clock;
  private final String gatewayController;
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
    this(client, clock, DEFAULT_GATEWAY_CONTROLLER);
  }

  /**
   * @param gatewayController the {@code controllerName} of our entries in Gateway API routes'
   *     {@code status.parents[]}
   */
  public KubernetesStatusSink(KubernetesClient client, Clock clock, String gatewayController) {
    this.client = client;
    this.clock = clock;
    this.gatewayController = gatewayController;
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
      boolean route = isRoute(ref);
      boolean gateway = isGateway(ref);
      if (s == null || (kind == null && !route && !gateway) || s.condition() == null) {
        latest.remove(ref); // gone, a BackendGroup (App Mesh gave it no condition), or not a kind with status
        pending.remove(ref);
        return;
      }
      Desired d = route ? new Desired(ref, s.condition(), s.observedGeneration(), verdict(s), null)
          : gateway ? new Desired(ref, s.condition(), s.observedGeneration(), null, GatewayStatus.Verdict.of(s))
          : new Desired(ref, s.condition(), s.observedGeneration());
      if (!d.equals(latest.put(ref, d))) {
        pending.put(ref, d);
        any[0] = true;
      }
    });
    if (any[0]) {
      wakeUp();
    }
  }

  private static boolean isRoute(ObjectRef ref) {
    return "HTTPRoute".equals(ref.kind()) || "GRPCRoute".equals(ref.kind());
  }

  /** A Gateway or GatewayClass: the report has statuses only for those of our GatewayClass. */
  private static boolean isGateway(ObjectRef ref) {
    return "Gateway".equals(ref.kind()) || "GatewayClass".equals(ref.kind());
  }

  /**
   * A route's verdict per parent: its Accepted condition, except for parents with errors of their
   * own ({@code spec.parentRefs[i]…}: e.g. no VirtualService named like that Service), which are
   * Accepted=False with the first such error's reason; ResolvedRefs is the route's.
   */
  static RouteStatus.Verdict verdict(ObjectStatus s) {
    Map<Integer, List<Problem>> byParent = new java.util.TreeMap<>();
    for (Problem p : s.problems()) {
      if (p.isError() && p.field().startsWith("spec.parentRefs[")) {
        int end = p.field().indexOf(']');
        try {
          int i = Integer.parseInt(p.field().substring("spec.parentRefs[".length(), end));
          byParent.computeIfAbsent(i, k -> new ArrayList<>()).add(p);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
          // not an indexed parent field
        }
      }
    }
    Map<Integer, Condition> parents = new HashMap<>();
    byParent.forEach((i, ps) -> parents.put(i, new Condition(s.condition().type(), "False", ps.get(0).reason(),
        "not served: " + String.join("; ", ps.stream().map(Problem::fieldAndMessage).toList()))));
    Condition refs = s.more().stream().filter(c -> "ResolvedRefs".equals(c.type())).findFirst().orElse(null);
    return new RouteStatus.Verdict(s.condition(), refs, parents, s.observedGeneration(),
        new java.util.HashSet<>(s.gatewayParents()));
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
      Map<String, Object> status = d.route() != null ? updatedRouteStatus(cur, d)
          : d.gateway() != null ? updatedGatewayStatus(cur, d) : updatedStatus(cur, d);
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

  /** A route's new status map ({@code parents[]}), or null when the current one already says the same. */
  @SuppressWarnings("unchecked")
  Map<String, Object> updatedRouteStatus(GenericKubernetesResource cur, Desired d) {
    Object raw = cur.getAdditionalProperties().get("status");
    Object spec = cur.getAdditionalProperties().get("spec");
    List<?> parentRefs = spec instanceof Map<?, ?> m && m.get("parentRefs") instanceof List<?> l ? l : List.of();
    RouteStatus.Verdict v = d.route();
    if (v.observedGeneration() == 0 && cur.getMetadata().getGeneration() != null) {
      v = v.withGeneration(cur.getMetadata().getGeneration());
    }
    return RouteStatus.updated(raw instanceof Map<?, ?> s ? (Map<String, Object>) s : null, parentRefs, v,
        gatewayController, GatewayApi.GATEWAY_CONTROLLER, Instant.now(clock));
  }

  /** A Gateway's or GatewayClass's new status map, or null when the current one already says the same. */
  @SuppressWarnings("unchecked")
  Map<String, Object> updatedGatewayStatus(GenericKubernetesResource cur, Desired d) {
    Object raw = cur.getAdditionalProperties().get("status");
    GatewayStatus.Verdict v = d.gateway();
    if (v.observedGeneration() == 0 && cur.getMetadata().getGeneration() != null) {
      v = v.withGeneration(cur.getMetadata().getGeneration());
    }
    return GatewayStatus.updated(raw instanceof Map<?, ?> s ? (Map<String, Object>) s : null, v, Instant.now(clock));
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
    GatewayApiKinds gk = GatewayApiKinds.byKind(ref.kind());
    var op = client.genericKubernetesResources(gk != null ? gk.context() : AppMeshKinds.context(ref.appMeshKind()));
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
