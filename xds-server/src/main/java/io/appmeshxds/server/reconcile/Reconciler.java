package io.appmeshxds.server.reconcile;

import io.appmeshxds.server.publish.SnapshotPublisher;
import io.appmeshxds.server.status.NackBook;
import io.appmeshxds.server.status.StatusSink;
import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.input.Severity;
import io.appmeshxds.translator.status.StatusReport;
import io.appmeshxds.translator.xds.XdsResources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns translation state. Sources signal changes; after the debounce it takes a
 * snapshot, validates and resolves it (rejected objects keep their last accepted version), plans
 * every known proxy plus connected proxyless clients, translates only plans that changed, and
 * publishes. Nothing is published before every source has synced; an internal error keeps the last
 * good configuration and is counted.
 *
 * <p>Time and the thread come from a {@link Scheduler}: the server's is the system clock and one
 * thread named {@code reconciler}; a test passes one it drives by hand. Every piece of work is a
 * task of that scheduler, so the state below is touched by one task at a time.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  private final ResourceStore store;
  private final Pipeline pipeline;
  private final SnapshotPublisher publisher;
  private final List<StatusSink> sinks;
  private final NackBook nacks;
  private final MeterRegistry metrics;
  private final Debouncer debouncer;
  private Translation translation;
  private java.util.function.Supplier<Set<NodeKey>> demand;
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> tasks = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final ControlPlaneTelemetry telemetry;
  private final Set<NodeKey> extraKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> loggedUnknown = ConcurrentHashMap.newKeySet();
  // Why limited: clients choose these names; thousands of invented ones must not become thousands of lines.
  private final io.appmeshxds.server.grpc.RateLimitedLog unknownLog = new io.appmeshxds.server.grpc.RateLimitedLog(60);
  private final Scheduler scheduler;
  /** A step is queued and has not started yet (a wake-up then adds nothing). */
  private final java.util.concurrent.atomic.AtomicBoolean stepQueued = new java.util.concurrent.atomic.AtomicBoolean();
  private final Timer translationTimer;
  private volatile boolean statusDirty;
  private volatile boolean keysDirty;
  private volatile boolean running;
  /** The step that runs when the pending burst is due (owned by the scheduler's tasks). */
  private Scheduler.Task timer;

  // Owned by the reconciler thread.
  private volatile BuildResult lastBuild; // read by the admission webhook's threads
  private volatile boolean ready;
  private volatile long builds;
  private volatile long heldForSync;

  public Reconciler(ResourceStore store, Pipeline pipeline, SnapshotPublisher publisher, List<StatusSink> sinks,
      NackBook nacks, MeterRegistry metrics, long holdoffMillis, long maxHoldoffMillis) {
    this(store, pipeline, publisher, sinks, nacks, metrics, holdoffMillis, maxHoldoffMillis, ControlPlaneTelemetry.noop());
  }

  /** With control-plane spans: one trace per {@link #reconcile()}. */
  public Reconciler(ResourceStore store, Pipeline pipeline, SnapshotPublisher publisher, List<StatusSink> sinks,
      NackBook nacks, MeterRegistry metrics, long holdoffMillis, long maxHoldoffMillis, ControlPlaneTelemetry telemetry) {
    this(store, pipeline, publisher, sinks, nacks, metrics, holdoffMillis, maxHoldoffMillis, telemetry,
        Scheduler.system("reconciler"));
  }

  /**
   * On {@code scheduler}'s clock and thread (the other constructors: the system clock and a thread
   * named {@code reconciler}). The reconciler owns it: {@link #close()} closes it.
   */
  public Reconciler(ResourceStore store, Pipeline pipeline, SnapshotPublisher publisher, List<StatusSink> sinks,
      NackBook nacks, MeterRegistry metrics, long holdoffMillis, long maxHoldoffMillis, ControlPlaneTelemetry telemetry,
      Scheduler scheduler) {
    this.scheduler = scheduler;
    this.telemetry = telemetry;
    this.store = store;
    this.pipeline = pipeline;
    this.publisher = publisher;
    this.sinks = List.copyOf(sinks);
    this.nacks = nacks;
    this.metrics = metrics;
    this.translation = new Translation(pipeline);
    this.debouncer = new Debouncer(scheduler::nanoTime, TimeUnit.MILLISECONDS.toNanos(holdoffMillis),
        TimeUnit.MILLISECONDS.toNanos(maxHoldoffMillis));
    this.translationTimer = Timer.builder("appmeshxds_translation_seconds")
        .description("Time from snapshot to published resources, per build")
        .publishPercentileHistogram()
        .register(metrics);
    store.onChange(this::signal);
    nacks.onChange(() -> {
      statusDirty = true;
      wakeUp();
    });
  }

  /**
   * Plans only the proxies {@code connected} returns (call before {@link #start}); without it every
   * proxy the model knows is planned. See {@link Translation#onDemand}.
   */
  public Reconciler onDemand(java.util.function.Supplier<Set<NodeKey>> connected) {
    this.demand = connected;
    this.translation = Translation.onDemand(pipeline);
    return this;
  }

  /** The set of connected proxies changed (a first stream opened, a last one closed). */
  public void keysChanged() {
    keysDirty = true;
    wakeUp();
  }

  /**
   * A key's resources as the last build would give them, planned on the reconciler thread when the
   * key is not served now (for {@code /config_dump} of a proxy that is not connected).
   */
  public java.util.concurrent.CompletableFuture<XdsResources> preview(NodeKey key) {
    java.util.concurrent.CompletableFuture<XdsResources> f = new java.util.concurrent.CompletableFuture<>();
    tasks.add(() -> {
      try {
        f.complete(translation.preview(key));
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    wakeUp();
    return f;
  }

  public Reconciler start() {
    running = true;
    wakeUp();
    return this;
  }

  /** A source changed something. */
  public void signal() {
    debouncer.signal();
    wakeUp();
  }

  /**
   * A stream asked for a key that has no resources: a proxyless client (planned on demand) or an
   * unknown node (logged once).
   */
  public void requestKey(NodeKey key) {
    if (demand != null) {
      // On demand the connected keys are planned already (keysChanged); a key named by a client is not kept.
      return;
    }
    if (extraKeys.add(key)) {
      keysDirty = true;
      wakeUp();
    }
  }

  /** Whether the first configuration has been published. */
  public boolean ready() {
    return ready;
  }

  /** Completed builds. */
  /** Times a due build waited because a source was relisting (a build had its chance and was held). */
  public long heldForSync() {
    return heldForSync;
  }

  public long builds() {
    return builds;
  }

  /** The last build's result, or null. */
  public BuildResult lastBuild() {
    return lastBuild;
  }

  /** Queues a step unless one is queued already (cheap: called from sources' and streams' threads). */
  private void wakeUp() {
    if (running && stepQueued.compareAndSet(false, true)) {
      scheduler.schedule(this::queuedStep, 0);
    }
  }

  private void queuedStep() {
    // Before any state is read: a change from now on queues another step.
    stepQueued.set(false);
    step();
  }

  /**
   * Does whatever is due (a build whose burst is over, proxies that connected, queued previews,
   * statuses after a NACK), then arms the timer for the pending burst.
   */
  private void step() {
    while (running) {
      boolean synced = store.allSynced();
      boolean due = synced && debouncer.delay() == 0;
      if (!synced && debouncer.delay() == 0) {
        heldForSync++; // a build is due, but a source is relisting: it waits
      }
      if (!due && !(keysDirty && lastBuild != null) && !(statusDirty && lastBuild != null) && tasks.isEmpty()) {
        break;
      }
      try {
        if (store.allSynced() && debouncer.take()) {
          reconcile();
        } else if (keysDirty && lastBuild != null) {
          keysDirty = false;
          planKeys();
        }
        for (Runnable task; (task = tasks.poll()) != null; ) {
          task.run();
        }
        if (statusDirty && lastBuild != null) {
          statusDirty = false;
          publishStatus();
        }
      } catch (RuntimeException | Error e) {
        // Never let the reconciler stop; the previous configuration stays published.
        Counter.builder("appmeshxds_reconcile_errors_total").description("Builds that failed with an internal error")
            .register(metrics).increment();
        LOG.error("internal error while reconciling; proxies keep their last good config", e);
      }
    }
    if (running) {
      arm();
    }
  }

  /**
   * Runs a step when the pending burst is due. Why a recheck every second while a source is not
   * synced: the burst waits for it, and its "synced" arrives as a change, but a missed one must not
   * hold the build forever.
   */
  private void arm() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    long delay = debouncer.delay();
    if (delay < 0) {
      return;
    }
    timer = scheduler.schedule(this::step, store.allSynced() ? Math.max(delay, 1) : TimeUnit.SECONDS.toNanos(1));
  }

  /**
   * Runs one build now (a step's work; also for tests). Traced as {@code reconcile} with the
   * phases {@code load}, {@code validate}, {@code plan}, {@code translate} and {@code publish}.
   */
  public void reconcile() {
    try (ControlPlaneTelemetry.Reconcile trace = telemetry.startReconcile()) {
      try {
        reconcile(trace);
      } catch (RuntimeException | Error e) {
        trace.failed(e);
        throw e;
      }
    }
  }

  private void reconcile(ControlPlaneTelemetry.Reconcile trace) {
    long t0 = scheduler.nanoTime();
    long cpu0 = CPU.getCurrentThreadCpuTime();
    ResourceStore.Snapshot snapshot;
    try (ControlPlaneTelemetry.Phase p = trace.phase(ControlPlaneTelemetry.LOAD)) {
      snapshot = store.takeSyncedSnapshot();
      p.attribute(ControlPlaneTelemetry.OBJECTS, snapshot == null ? 0 : snapshot.resources().objects().size());
    }
    MeshResources in = snapshot == null ? null : snapshot.resources();
    if (in == null) {
      // A source stopped being synced (a Kubernetes relist) after the step checked: wait for it.
      debouncer.signal();
      return;
    }
    keysDirty = false;
    Set<NodeKey> wanted = wanted();
    Translation.Result r = translation.apply(in, snapshot.changes(), wanted, trace);
    lastBuild = r.build();
    forgetDropped(r.dropped());
    logUnknown(wanted, r.resources()::containsKey);
    SnapshotPublisher.Result pr;
    try (ControlPlaneTelemetry.Phase p = trace.phase(ControlPlaneTelemetry.PUBLISH)) {
      pr = publisher.publish(r.changed());
      p.attribute(ControlPlaneTelemetry.PROXIES_PUBLISHED, pr.published());
      p.attribute(ControlPlaneTelemetry.PROXIES_WITHHELD, pr.rejected());
      p.attribute(ControlPlaneTelemetry.RESPONSES, pr.responses());
    }
    builds++;
    trace.attribute(ControlPlaneTelemetry.BUILD, builds);
    trace.attribute(ControlPlaneTelemetry.OBJECTS, in.objects().size());
    trace.attribute(ControlPlaneTelemetry.PROXIES, r.planned());
    trace.attribute(ControlPlaneTelemetry.PROXIES_TRANSLATED, r.translated());
    trace.attribute(ControlPlaneTelemetry.PROXIES_PUBLISHED, pr.published());
    trace.attribute(ControlPlaneTelemetry.RESPONSES, pr.responses());
    long nanos = scheduler.nanoTime() - t0;
    translationTimer.record(nanos, TimeUnit.NANOSECONDS);
    if (!ready) {
      ready = true;
      LOG.info("first configuration published: {} objects served, {} proxy groups", lastBuild.model().size(), r.planned());
    }
    LOG.info("build {}: {} objects ({} evaluated), {} proxy groups ({} re-translated), {} published, {} withheld, "
        + "{} responses, {} ms ({} ms CPU)", builds, in.objects().size(), r.build().changes().evaluated(), r.planned(),
        r.translated(), pr.published(), pr.rejected(), pr.responses(), TimeUnit.NANOSECONDS.toMillis(nanos),
        TimeUnit.NANOSECONDS.toMillis(CPU.getCurrentThreadCpuTime() - cpu0));
    publishStatus();
  }

  /** On demand: the connected proxies; else the proxyless clients that asked (every known proxy is planned anyway). */
  private Set<NodeKey> wanted() {
    return demand != null ? demand.get() : Set.copyOf(extraKeys);
  }

  /**
   * Logs each wanted key we have no config for, once while it stays wanted. Why the set is trimmed
   * to the wanted keys: the names come from clients, and nothing a client sent is kept after it leaves.
   */
  private void logUnknown(Set<NodeKey> wanted, java.util.function.Predicate<NodeKey> known) {
    Set<String> names = new java.util.HashSet<>();
    for (NodeKey k : wanted) {
      names.add(k.toString());
      if (!known.test(k) && loggedUnknown.add(k.toString())) {
        long suppressed = unknownLog.tryAcquire();
        if (suppressed >= 0) {
          LOG.warn("unknown proxy {}: no accepted VirtualNode or VirtualGateway {} in mesh {}; it gets no config until one exists{}",
              io.appmeshxds.server.grpc.LogText.escape(k.toString(), 512), io.appmeshxds.server.grpc.LogText.escape(k.name(), 300),
              io.appmeshxds.server.grpc.LogText.escape(k.mesh(), 300), io.appmeshxds.server.grpc.RateLimitedLog.note(suppressed));
        }
      }
    }
    loggedUnknown.retainAll(names);
  }

  /**
   * Plans proxies that connected (or asked) since the last build; forgets the ones that left. Each
   * new proxy is published as soon as its own plan is translated, so in a connect storm the first
   * proxies are answered while the rest of the batch is still being planned.
   */
  private void planKeys() {
    Set<NodeKey> wanted = wanted();
    int[] published = new int[3]; // groups, withheld, responses
    List<NodeKey> added = new ArrayList<>();
    translation.keys(wanted, (k, r) -> {
      if (r == null) {
        forgetDropped(List.of(k));
        return;
      }
      SnapshotPublisher.Result pr = publisher.publish(Map.of(k, r));
      published[0] += pr.published();
      published[1] += pr.rejected();
      published[2] += pr.responses();
      added.add(k);
    });
    // The same set the batch planned: a proxy that connected meanwhile is not unknown, just not planned yet.
    logUnknown(wanted, translation::knows);
    if (!added.isEmpty()) {
      LOG.info("planned {} proxy group(s) on connect{}", added.size(), added.size() <= 10 ? ": " + added : "");
      LOG.debug("publish: {} published, {} withheld, {} responses", published[0], published[1], published[2]);
    }
  }

  /** Proxies no longer connected: their resources are forgotten, so a reconnect waits for a fresh plan. */
  private void forgetDropped(java.util.Collection<NodeKey> dropped) {
    for (NodeKey k : dropped) {
      publisher.forget(k);
    }
  }

  /** Build statuses plus NACK conditions, to every sink. */
  private void publishStatus() {
    StatusReport report = withNacks(lastBuild.status());
    for (StatusSink s : sinks) {
      try {
        s.publish(report);
      } catch (RuntimeException e) {
        LOG.error("status sink {} failed", s.getClass().getSimpleName(), e);
      }
    }
  }

  private StatusReport withNacks(StatusReport base) {
    Map<NodeKey, Map<String, NackBook.Rejection>> rejected = nacks.snapshot();
    if (rejected.isEmpty()) {
      return base;
    }
    // Why persistent when possible: a NACK then costs its objects, not a copy of every status.
    org.pcollections.PMap<ObjectRef, ObjectStatus> objects = base.objects() instanceof org.pcollections.PSortedMap<ObjectRef, ObjectStatus> p
        ? p : org.pcollections.TreePMap.from(base.objects());
    java.util.Map<ObjectRef, ObjectStatus> updates = new HashMap<>();
    rejected.forEach((key, byType) -> {
      ObjectRef ref = refOf(key);
      ObjectStatus s = ref == null ? null : objects.get(ref);
      if (s == null || s.condition() == null) {
        return;
      }
      List<Problem> ps = new ArrayList<>(s.problems());
      StringBuilder msg = new StringBuilder();
      byType.values().forEach(r -> {
        String text = "proxy " + r.nodeId() + " rejected " + r.typeUrl().substring(r.typeUrl().lastIndexOf('.') + 1)
            + " version " + r.version() + ": " + r.message();
        ps.add(new Problem(Severity.ERROR, Reason.ConfigRejected, ref, "", text, null));
        msg.append(msg.length() == 0 ? "" : "; ").append(text);
      });
      io.appmeshxds.translator.status.Condition c = s.condition();
      updates.put(ref, new ObjectStatus(ref, s.observedGeneration(),
          new io.appmeshxds.translator.status.Condition(c.type(), "False", Reason.ConfigRejected,
              msg + (c.isTrue() ? "" : "; " + c.message())), ps, s.servedGeneration()));
    });
    return new StatusReport(objects.plusAll(updates), base.unattached());
  }

  private ObjectRef refOf(NodeKey key) {
    MeshGraph g = lastBuild.model().mesh(key.mesh());
    if (g == null) {
      return null;
    }
    if (key.kind() == NodeKey.Kind.GATEWAY) {
      var gw = g.gateways().get(key.name());
      return gw == null ? null : gw.ref();
    }
    var n = g.nodes().get(key.name());
    return n == null ? null : n.ref();
  }

  /** Resources last translated for a key (for /config_dump), or null. */
  public XdsResources resources(NodeKey key) {
    return publisher.current(key);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    scheduler.close();
  }
}
