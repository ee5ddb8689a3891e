package io.appmeshxds.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.grpc.StreamTracker;
import io.appmeshxds.server.grpc.XdsCache;
import io.appmeshxds.server.publish.SnapshotPublisher;
import io.appmeshxds.server.status.NackBook;
import io.appmeshxds.server.status.StatusSink;
import io.appmeshxds.server.testing.ManualScheduler;
import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.LoadedObject;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.ObjectValidator;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanDecorator;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.status.StatusReport;
import io.appmeshxds.translator.xds.XdsResources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's timing rules on a scheduler the test drives (no sleeps, no thread of its own):
 * a stream of changes closer than the holdoff still builds by max-holdoff; a burst of related writes
 * builds once, after its last write, and nothing (status or config) is published for a part of it;
 * a relist that is half applied is never built; an internal error keeps the last good configuration
 * published, is counted, and the next good input builds again.
 */
class ReconcilerTest {
  private static final long HOLDOFF_MS = 20;
  private static final long MAX_MS = 100;
  private static final String SOURCE = "test";
  private static final NodeKey CLIENT = NodeKey.sidecar("m", "client_apps");

  private static final String BASE = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: apps, labels: {mesh: m}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: Mesh
      metadata: {name: m}
      spec: {namespaceSelector: {matchLabels: {mesh: m}}}
      ---
      """ + client(8080, false);

  private static String client(int port, boolean backend) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: client, namespace: apps}
        spec:
          podSelector: {matchLabels: {app: client}}
          listeners: [{portMapping: {port: %d, protocol: http}}]
          serviceDiscovery: {dns: {hostname: client.apps.svc.cluster.local}}
        %s""".formatted(port, backend ? "  backends: [{virtualService: {virtualServiceRef: {name: svc}}}]\n" : "");
  }

  private static final String SERVICE = """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualService
      metadata: {name: svc, namespace: apps}
      spec:
        awsName: svc.apps.svc.cluster.local
        provider: {virtualRouter: {virtualRouterRef: {name: router}}}
      """;
  private static final String ROUTER = """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualRouter
      metadata: {name: router, namespace: apps}
      spec:
        listeners: [{portMapping: {port: 8080, protocol: http}}]
        routes:
          - name: r
            httpRoute:
              match: {prefix: /}
              action: {weightedTargets: [{virtualNodeRef: {name: server}, weight: 1}]}
      """;
  private static final String SERVER = """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: server, namespace: apps}
      spec:
        podSelector: {matchLabels: {app: server}}
        listeners: [{portMapping: {port: 8080, protocol: http}}]
        serviceDiscovery: {dns: {hostname: server.apps.svc.cluster.local}}
      """;
  private static final String POISON = """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: poison, namespace: apps}
      spec:
        podSelector: {matchLabels: {app: poison}}
        listeners: [{portMapping: {port: 8080, protocol: http}}]
        serviceDiscovery: {dns: {hostname: poison.apps.svc.cluster.local}}
      """;

  /** A status report and when the reconciler published it. */
  record Published(double atMillis, StatusReport report) {}

  private final ManualScheduler scheduler = new ManualScheduler();
  private final ResourceStore store = new ResourceStore();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final List<Published> statuses = new ArrayList<>();
  private Reconciler reconciler;

  @AfterEach
  void close() throws InterruptedException {
    if (reconciler != null) {
      reconciler.close();
    }
  }

  /** A started reconciler on the test's scheduler, the standard pipeline plus {@code validator}. */
  private Reconciler start(ObjectValidator validator) {
    Pipeline standard = Pipelines.standard();
    List<ObjectValidator> validators = new ArrayList<>(standard.validators());
    validators.add(validator);
    return start(new Pipeline(standard.planner(), standard.extensions(), validators, standard.checks()));
  }

  private Reconciler start(Pipeline pipeline) {
    store.register(SOURCE);
    store.markSynced(SOURCE);
    StatusSink sink = report -> statuses.add(new Published(scheduler.millis(), report));
    reconciler = new Reconciler(store, pipeline,
        new SnapshotPublisher(new XdsCache(new XdsCache.Listener() {}, new StreamTracker()), metrics), List.of(sink),
        new NackBook(), metrics, HOLDOFF_MS, MAX_MS, ControlPlaneTelemetry.noop(), scheduler).start();
    return reconciler;
  }

  private Reconciler start() {
    return start(o -> List.of());
  }

  private static List<LoadedObject> load(String yaml) {
    LoadResult r = new ManifestLoader().loadText("test.yaml", yaml);
    assertThat(r.problems()).as("test manifests load cleanly").isEmpty();
    assertThat(r.objects()).isNotEmpty();
    return r.objects();
  }

  /** Writes the objects of {@code yaml} one by one, as a watch delivers them, and runs what that wakes. */
  private void write(String yaml) {
    for (LoadedObject o : load(yaml)) {
      store.put(SOURCE, o.ref(), o.object());
    }
    scheduler.runDue();
  }

  private void delete(String yaml) {
    for (LoadedObject o : load(yaml)) {
      store.put(SOURCE, o.ref(), null);
    }
    scheduler.runDue();
  }

  /** Builds the base mesh (one build) and returns when it is published. */
  private void buildBase() {
    write(BASE);
    scheduler.advance(java.time.Duration.ofMillis(HOLDOFF_MS));
    assertThat(reconciler.builds()).as("base built").isEqualTo(1);
    assertThat(reconciler.ready()).isTrue();
    assertThat(statuses).hasSize(1);
    assertAllAccepted(statuses.get(0).report());
    assertThat(reconciler.resources(CLIENT)).as("client published").isNotNull();
  }

  private static void assertAllAccepted(StatusReport report) {
    Map<ObjectRef, List<Problem>> errors = new TreeMap<>();
    report.objects().forEach((ref, s) -> {
      if (!s.accepted()) {
        errors.put(ref, s.problems());
      }
    });
    assertThat(errors).as("rejected objects").isEmpty();
  }

  private static String text(XdsResources r, XdsResources.Type t) {
    return r.get(t).stream().map(x -> x.proto().toString()).collect(Collectors.joining("\n"));
  }

  private double errors() {
    Counter c = metrics.find("appmeshxds_reconcile_errors_total").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aStreamOfChangesCloserThanTheHoldoffBuildsByMaxHoldoff() {
    start();
    buildBase();
    long t0 = (long) scheduler.millis();
    List<Long> buildTimes = new ArrayList<>();
    long builds = reconciler.builds();
    // A change every 10 ms for 250 ms: the holdoff (20 ms) never passes without a change.
    for (long t = 0; t <= 250; t += 10) {
      scheduler.advanceToMillis(t0 + t);
      if (reconciler.builds() > builds) {
        builds = reconciler.builds();
        buildTimes.add(t);
      }
      write(client(8000 + (int) t, false));
    }
    assertThat(buildTimes).as("builds during the stream (ms after its first change)").containsExactly(100L, 200L);
    String listeners = text(reconciler.resources(CLIENT), XdsResources.Type.LISTENER);
    assertThat(listeners).as("the build at 200 ms has the change written at 190 ms").contains("ingress_http_8190");
    scheduler.advanceToMillis(t0 + 250 + HOLDOFF_MS);
    assertThat(reconciler.builds()).as("the tail of the stream built a holdoff after its last change").isEqualTo(builds + 1);
    assertThat(text(reconciler.resources(CLIENT), XdsResources.Type.LISTENER)).contains("ingress_http_8250");
    assertThat(scheduler.uncaught()).isEmpty();
  }

  @Test
  void aBurstOfRelatedWritesBuildsOnceAndNothingOfItHalfApplied() {
    start();
    buildBase();
    XdsResources before = reconciler.resources(CLIENT);
    long t0 = (long) scheduler.millis();
    // Four writes that only make sense together, 8 ms apart (the burst is longer than the holdoff):
    // a service before its router, the router before its node, the client's backend last.
    List<String> burst = List.of(SERVICE, ROUTER, SERVER, client(8080, true));
    for (int i = 0; i < burst.size(); i++) {
      scheduler.advanceToMillis(t0 + 8L * i);
      write(burst.get(i));
      assertThat(reconciler.builds()).as("builds after write %d at %s ms", i, scheduler.millis()).isEqualTo(1);
    }
    long last = t0 + 8L * (burst.size() - 1);
    scheduler.advanceToMillis(last + HOLDOFF_MS - 1);
    assertThat(reconciler.builds()).as("no build before the holdoff after the last write").isEqualTo(1);
    assertThat(statuses).as("no status for a part of the burst").hasSize(1);
    assertThat(reconciler.resources(CLIENT)).as("no config for a part of the burst").isSameAs(before);

    scheduler.advanceToMillis(last + HOLDOFF_MS);
    assertThat(reconciler.builds()).as("the burst built once").isEqualTo(2);
    assertThat(statuses).hasSize(2);
    StatusReport report = statuses.get(1).report();
    assertAllAccepted(report);
    assertThat(report.objects().keySet().stream().map(ObjectRef::name))
        .contains("svc", "router", "server", "client");
    XdsResources after = reconciler.resources(CLIENT);
    assertThat(text(after, XdsResources.Type.ROUTE)).as("the client routes to the service").contains("svc.apps.svc.cluster.local");
    assertThat(text(after, XdsResources.Type.CLUSTER)).as("through the router to the server").contains("server");
    scheduler.advance(java.time.Duration.ofSeconds(5));
    assertThat(reconciler.builds()).as("and only once").isEqualTo(2);
    assertThat(statuses).hasSize(2);
    assertThat(scheduler.uncaught()).isEmpty();
  }

  @Test
  void aHalfAppliedRelistIsNeverBuilt() {
    start();
    buildBase();
    XdsResources before = reconciler.resources(CLIENT);
    // A watch was lost: the source re-reads everything and is not synced until the list is complete.
    store.markUnsynced(SOURCE);
    write(SERVICE);
    write(ROUTER);
    long steps = scheduler.ran();
    scheduler.advance(java.time.Duration.ofSeconds(5));
    assertThat(reconciler.builds()).as("no build while the source relists, 50 max-holdoffs later").isEqualTo(1);
    assertThat(scheduler.ran() - steps).as("it waits for the sync (a recheck a second), it does not retry every holdoff")
        .isLessThanOrEqualTo(5);
    assertThat(statuses).as("no status for a half-applied relist").hasSize(1);
    assertThat(reconciler.resources(CLIENT)).as("no config for a half-applied relist").isSameAs(before);

    write(SERVER);
    write(client(8080, true));
    store.markSynced(SOURCE);
    scheduler.runDue();
    scheduler.advance(java.time.Duration.ofMillis(HOLDOFF_MS));
    assertThat(reconciler.builds()).as("the complete relist built once").isEqualTo(2);
    assertThat(statuses).hasSize(2);
    assertAllAccepted(statuses.get(1).report());
    assertThat(text(reconciler.resources(CLIENT), XdsResources.Type.ROUTE)).contains("svc.apps.svc.cluster.local");
    assertThat(scheduler.uncaught()).isEmpty();
  }

  @Test
  void anInternalErrorKeepsTheLastGoodConfigAndTheNextGoodInputBuildsAgain() {
    start(o -> {
      if (o.metadata().name().equals("poison")) {
        throw new IllegalStateException("injected translation failure for " + o.metadata().name());
      }
      return List.of();
    });
    buildBase();
    XdsResources good = reconciler.resources(CLIENT);
    var goodBuild = reconciler.lastBuild();
    assertThat(errors()).isZero();

    write(POISON);
    write(client(9090, false));
    scheduler.advance(java.time.Duration.ofMillis(HOLDOFF_MS));
    assertThat(errors()).as("the failed build is counted").isEqualTo(1);
    assertThat(reconciler.builds()).as("no build completed").isEqualTo(1);
    assertThat(reconciler.resources(CLIENT)).as("the last good config stays published").isSameAs(good);
    assertThat(reconciler.lastBuild()).as("and the last good build stays the one served").isSameAs(goodBuild);
    assertThat(statuses).as("no status from a failed build").hasSize(1);
    assertThat(reconciler.ready()).isTrue();
    assertThat(scheduler.uncaught()).as("the error stays inside the reconciler").isEmpty();

    delete(POISON);
    scheduler.advance(java.time.Duration.ofMillis(HOLDOFF_MS));
    assertThat(reconciler.builds()).as("the next good input builds").isEqualTo(2);
    assertThat(errors()).isEqualTo(1);
    assertThat(statuses).hasSize(2);
    StatusReport report = statuses.get(1).report();
    assertAllAccepted(report);
    ObjectStatus client = report.objects().entrySet().stream().filter(e -> e.getKey().name().equals("client"))
        .map(Map.Entry::getValue).findFirst().orElseThrow();
    assertThat(client.accepted()).isTrue();
    assertThat(text(reconciler.resources(CLIENT), XdsResources.Type.LISTENER))
        .as("with the change written next to the poison").contains("ingress_http_9090");
    assertThat(scheduler.uncaught()).isEmpty();
  }

  @Test
  void anInternalErrorWhilePlanningIsFollowedByABuildFromScratch() {
    // Fails after the model stage succeeded, while planning the server with a listener on port 6666:
    // the model and the plans moved on, the published resources did not.
    PlanDecorator failing = (plan, ctx) -> {
      if (plan.key().name().equals("server_apps") && plan.toString().contains("6666")) {
        throw new IllegalStateException("injected planning failure");
      }
      return plan;
    };
    start(new Pipeline(new Planner(List.of(), List.of(failing)), List.of()));
    write(SERVER);
    buildBase();
    XdsResources good = reconciler.resources(CLIENT);

    write(client(9090, false));
    write(SERVER.replace("8080", "6666"));
    scheduler.advance(java.time.Duration.ofMillis(HOLDOFF_MS));
    assertThat(errors()).as("the failed build is counted").isEqualTo(1);
    assertThat(reconciler.builds()).isEqualTo(1);
    assertThat(reconciler.resources(CLIENT)).as("the last good config stays published").isSameAs(good);
    assertThat(statuses).hasSize(1);

    // The next input changes only the server, which the client does not read: the client's change
    // is in the failed build's input, so only a build from scratch publishes it.
    write(SERVER);
    scheduler.advance(java.time.Duration.ofMillis(HOLDOFF_MS));
    assertThat(reconciler.builds()).as("the next good input builds").isEqualTo(2);
    assertThat(text(reconciler.resources(CLIENT), XdsResources.Type.LISTENER))
        .as("with the change the failed build dropped").contains("ingress_http_9090");
    assertAllAccepted(statuses.get(1).report());
    assertThat(scheduler.uncaught()).isEmpty();
  }

  /**
   * Proxies that connect together are published one by one, each as soon as its own plan is
   * translated: the first is answered before the second is planned (the order of a batch that
   * planned everything first would be plan, plan, publish, publish). And nothing is published for
   * a connected proxy before the first build.
   */
  @Test
  void connectingProxiesArePublishedEachAsSoonAsItIsPlanned() {
    List<String> events = new ArrayList<>();
    PlanDecorator watching = (plan, ctx) -> {
      events.add("plan " + plan.key().name());
      return plan;
    };
    Pipeline standard = Pipelines.standard();
    Pipeline pipeline = new Pipeline(new Planner(List.of(), List.of(watching)), standard.extensions(), standard.validators(),
        standard.checks());
    XdsCache cache = new XdsCache(new XdsCache.Listener() {}, new StreamTracker());
    cache.observe((k, r) -> events.add("publish " + k.name()));
    java.util.Set<NodeKey> connected = new java.util.TreeSet<>(List.of(CLIENT, NodeKey.sidecar("m", "server_apps")));
    store.register(SOURCE);
    reconciler = new Reconciler(store, pipeline, new SnapshotPublisher(cache, metrics), List.of(), new NackBook(), metrics,
        HOLDOFF_MS, MAX_MS, ControlPlaneTelemetry.noop(), scheduler).onDemand(() -> java.util.Set.copyOf(connected)).start();
    write(BASE + "---\n" + SERVER);
    reconciler.keysChanged();
    scheduler.runDue();
    assertThat(events).as("not synced: nothing planned").isEmpty();
    store.markSynced(SOURCE);
    scheduler.advance(java.time.Duration.ofMillis(HOLDOFF_MS));
    assertThat(reconciler.builds()).isEqualTo(1);
    assertThat(events).as("the build plans the connected proxies").containsExactly("plan client_apps", "plan server_apps",
        "publish client_apps", "publish server_apps");

    events.clear();
    NodeKey third = NodeKey.sidecar("m", "third_apps");
    NodeKey fourth = NodeKey.sidecar("m", "fourth_apps");
    write(SERVER.replace("server", "third") + "---\n" + SERVER.replace("server", "fourth"));
    scheduler.advance(java.time.Duration.ofMillis(HOLDOFF_MS));
    assertThat(events).as("not connected: not planned").isEmpty();
    connected.addAll(List.of(third, fourth));
    reconciler.keysChanged();
    scheduler.runDue();
    assertThat(events).as("each published before the next is planned")
        .containsExactly("plan fourth_apps", "publish fourth_apps", "plan third_apps", "publish third_apps");
    assertThat(cache.get(third)).isEqualTo(Translation.onDemand(pipeline).apply(store.takeSyncedSnapshot().resources(),
        List.of(third)).resources().get(third));
    assertThat(scheduler.uncaught()).isEmpty();
  }

  @Test
  void closeStopsTheSchedule() throws InterruptedException {
    start();
    buildBase();
    reconciler.close();
    write(SERVER);
    assertThat(scheduler.pending()).as("nothing scheduled after close").isZero();
    scheduler.advance(java.time.Duration.ofSeconds(1));
    assertThat(reconciler.builds()).isEqualTo(1);
  }
}
