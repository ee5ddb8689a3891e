package io.appmeshxds.server.cloudmap;

import io.appmeshxds.server.status.StatusSink;
import io.appmeshxds.tracing.config.CloudMapConfig;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.CloudMapQuery;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.status.StatusReport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Registers the pods of Cloud Map VirtualNodes in Cloud Map, as App Mesh's controller did
 * ({@code pkg/cloudmap/}), while this replica holds the lease (like the status writer): a sink fed
 * after every build, with the pods of the namespaces concerned watched.
 *
 * <ul>
 *   <li><b>Who</b>: pods of an accepted VirtualNode with {@code awsCloudMap}, selected by its
 *       {@code podSelector} in its namespace, with an IP and no deletion timestamp; registered when
 *       ContainersReady is True (the controller's "ready"), with {@link InstanceAttributes}
 *       (instance id = pod IP). A pod selected by more than one VirtualNode is left alone (App
 *       Mesh refused such pods).
 *   <li><b>Its subset</b>: the instances of the service whose {@code appmesh.k8s.aws/mesh} and
 *       {@code appmesh.k8s.aws/virtualNode} name this node. Instances of the subset without a pod
 *       are deregistered: pods that went away, stopped being ready, or vanished while no replica
 *       was registering (found on the next start by listing the service). Other instances of the
 *       service are never touched.
 *   <li><b>Custom health check</b> services (the controller's {@code --enable-custom-health-check}):
 *       a registered pod that stops being ready stays, marked UNHEALTHY; HEALTHY again when ready.
 *   <li><b>Readiness gate</b>: a pod that declares {@code conditions.appmesh.k8s.aws/aws-cloudmap-healthy}
 *       gets that condition True {@code readinessGateDelaySeconds} after its instance is registered
 *       (the controller waited until Cloud Map had shown the instance healthy for 20 s).
 *   <li><b>Idempotent</b>: what Cloud Map holds is listed once per lease and every {@code
 *       resyncSeconds}, and kept up to date by our own operations; a pass that finds nothing to
 *       change calls nothing.
 *   <li><b>Bounded and polite</b>: calls that change Cloud Map go through a token bucket ({@code
 *       callsPerSecond}); one operation per instance at a time (Cloud Map refuses a second one),
 *       followed with GetOperation; a failed or throttled call ({@code ThrottlingException},
 *       {@code RequestLimitExceeded}) is retried after 1, 2, 4 … {@code maxBackoffSeconds}. Nothing
 *       is lost: what to do is worked out again from the pods and Cloud Map on every pass.
 * </ul>
 *
 * <p>{@link #start()} runs it on its own thread; {@link #runOnce()} is one pass (tests drive it).
 */
public final class CloudMapRegistrar implements StatusSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CloudMapRegistrar.class);
  private static final Duration POLL = Duration.ofSeconds(2);
  private static final int MAX_INSTANCES = 10_000;

  /** One VirtualNode's part of a Cloud Map service. */
  record Subset(String namespaceName, String serviceName, String mesh, String node, ObjectRef ref) {}

  /** What to do to one instance. */
  private enum Kind { REGISTER, DEREGISTER, HEALTHY, UNHEALTHY }

  /** An operation Cloud Map is carrying out for one instance. */
  private record Op(Kind kind, String operationId, Map<String, String> attrs, Instant pollAt) {}

  /** A failed call for one instance: when to try again. */
  private record Retry(int failures, Instant at) {}

  private final CloudMapSetup setup;
  private final CloudMapConfig config;
  private final Clock clock;
  private final Supplier<MeshModel> model;
  private final PodWatch pods;
  private final ServiceDirectory directory;
  private final RateLimiter limiter;
  private final MeterRegistry metrics;
  /** By service id, then instance id. */
  private final Map<String, Map<String, Op>> ops = new HashMap<>();
  private final Map<String, Retry> retries = new HashMap<>();
  /** When each instance (service id/instance id) was seen registered with its current attributes. */
  private final Map<String, Instant> registeredAt = new HashMap<>();
  /** Health this replica set on custom-health-check instances, by service id/instance id. */
  private final Map<String, Kind> healthSet = new HashMap<>();
  private final Set<Subset> tracked = new HashSet<>();
  private final Set<String> loggedShared = new HashSet<>();
  private volatile boolean leading;
  private volatile boolean dirty = true;
  private volatile int pending;
  private final PassLoop loop;

  /**
   * @param client the Kubernetes API (pods, nodes)
   * @param setup the Cloud Map client, config and clock
   * @param model the model of the last build (null before the first)
   * @param metrics where the counters go
   */
  public CloudMapRegistrar(KubernetesClient client, CloudMapSetup setup, Supplier<MeshModel> model, MeterRegistry metrics) {
    this.setup = setup;
    this.config = setup.config();
    this.clock = setup.clock();
    this.loop = new PassLoop("cloudmap-registrar", clock, this::runOnce, () -> dirty, LOG,
        "Cloud Map registration pass failed; the next pass starts over");
    this.model = model;
    this.metrics = metrics;
    this.pods = new PodWatch(client, clock, this::signal);
    this.limiter = new RateLimiter(clock, config.registration().callsPerSecond());
    this.directory = new ServiceDirectory(setup::client, config, clock, limiter);
    Gauge.builder("appmeshxds_cloudmap_registration_pending", this, r -> r.pending)
        .description("Cloud Map instances whose registration, deregistration or health is not yet what the pods say")
        .register(metrics);
  }

  /** Runs passes on a thread of its own until closed. */
  public CloudMapRegistrar start() {
    loop.start();
    return this;
  }

  /** The lease was won (true) or lost (false): only the holder registers. */
  public void leader(boolean leads) {
    if (leads == leading) {
      return;
    }
    leading = leads;
    LOG.info(leads ? "Cloud Map registration: this replica registers pods now (it holds the lease)"
        : "Cloud Map registration: this replica no longer registers pods");
    signal();
  }

  @Override
  public void publish(StatusReport report) {
    signal();
  }

  private void signal() {
    dirty = true;
    loop.wake();
  }

  /**
   * One pass: follows Cloud Map's operations, works out what each Cloud Map VirtualNode's subset
   * should hold, and issues what the rate limit allows. Returns when something is due next (null:
   * nothing is, or this replica does not hold the lease).
   */
  public synchronized Instant runOnce() {
    dirty = false;
    if (!leading) {
      reset();
      pods.watch(Set.of());
      return null;
    }
    MeshModel m = model.get();
    if (m == null) {
      return null;
    }
    Map<Subset, VirtualNode> wanted = subsets(m);
    Set<Subset> retiring = new HashSet<>();
    for (Subset s : tracked) {
      if (!wanted.containsKey(s) && retired(s, m)) {
        retiring.add(s);
      }
    }
    Set<String> namespaces = new TreeSet<>();
    wanted.keySet().forEach(s -> namespaces.add(s.ref().namespace()));
    retiring.forEach(s -> namespaces.add(s.ref().namespace()));
    pods.watch(namespaces);
    Instant next = poll();
    int todo = 0;
    Map<String, List<VirtualNode>> byNamespace = new HashMap<>();
    for (ResolvedNode n : allNodes(m)) {
      byNamespace.computeIfAbsent(n.ref().namespace(), k -> new ArrayList<>()).add(n.node());
    }
    Set<Subset> done = new HashSet<>();
    for (Map.Entry<Subset, VirtualNode> e : wanted.entrySet()) {
      Result r = reconcile(e.getKey(), e.getValue(), byNamespace.getOrDefault(e.getKey().ref().namespace(), List.of()));
      todo += r.todo;
      next = earliest(next, r.next);
    }
    for (Subset s : retiring) {
      Result r = reconcile(s, null, List.of());
      todo += r.todo;
      next = earliest(next, r.next);
      if (r.todo == 0 && r.clean) {
        done.add(s);
      }
    }
    next = earliest(next, poll());
    tracked.clear();
    tracked.addAll(wanted.keySet());
    retiring.removeAll(done);
    tracked.addAll(retiring);
    pending = todo;
    return next;
  }

  /** Forgets what this replica knew of Cloud Map (it no longer registers; a new lease starts over). */
  private void reset() {
    ops.clear();
    retries.clear();
    registeredAt.clear();
    healthSet.clear();
    tracked.clear();
    directory.reset();
    pending = 0;
  }

  /** The subsets the model's accepted Cloud Map VirtualNodes make up. */
  private static Map<Subset, VirtualNode> subsets(MeshModel m) {
    Map<Subset, VirtualNode> out = new LinkedHashMap<>();
    for (MeshGraph g : m.meshes().values()) {
      for (ResolvedNode n : g.nodes().values()) {
        CloudMapQuery q = CloudMapQuery.of(n.node());
        if (q != null) {
          out.put(new Subset(q.namespaceName(), q.serviceName(), g.name(), n.awsName(), n.ref()), n.node());
        }
      }
    }
    return out;
  }

  private static List<ResolvedNode> allNodes(MeshModel m) {
    List<ResolvedNode> out = new ArrayList<>();
    m.meshes().values().forEach(g -> out.addAll(g.nodes().values()));
    return out;
  }

  /**
   * Whether a subset no longer wanted is to be emptied: its VirtualNode was deleted, or now names
   * another Cloud Map service. (A node that is only not served now, a mesh being edited, keeps
   * its instances.)
   */
  private static boolean retired(Subset s, MeshModel m) {
    MeshObject o = m.inputs().objects().get(s.ref());
    if (!(o instanceof VirtualNode vn)) {
      return true;
    }
    CloudMapQuery q = CloudMapQuery.of(vn);
    return q == null || !q.namespaceName().equals(s.namespaceName()) || !q.serviceName().equals(s.serviceName());
  }

  /** What one subset still needs, and when to look again. */
  private record Result(int todo, Instant next, boolean clean) {
    static final Result WAIT = new Result(0, null, false);
  }

  private Result reconcile(Subset s, VirtualNode vn, List<VirtualNode> neighbours) {
    Instant now = clock.instant();
    String ns = s.ref().namespace();
    // Why the flag first: a list completes (synced) after its pods are in; read the other way round,
    // a list completing in between would pass the check below with the pods of before it.
    boolean podsKnown = pods.synced(ns);
    Map<String, PodWatch.PodInfo> inNamespace = pods.pods(ns);
    boolean ipv6 = inNamespace.values().stream().anyMatch(p -> p.ip().contains(":"));
    ServiceDirectory.Service svc = directory.resolve(s.namespaceName(), s.serviceName(), vn, ipv6);
    if (svc.id == null) {
      return new Result(vn == null ? 0 : 1, svc.retryAt.isAfter(now) ? svc.retryAt : null, vn == null);
    }
    if (svc.instances == null || Duration.between(svc.listedAt, now).getSeconds() >= config.registration().resyncSeconds()) {
      if (!list(svc, now)) {
        return new Result(1, svc.retryAt, false);
      }
    }
    if (!podsKnown) {
      return Result.WAIT; // never remove instances before the pods are known
    }
    Map<String, Map<String, String>> ready = new TreeMap<>();
    Map<String, Map<String, String>> notReady = new TreeMap<>();
    Map<String, PodWatch.PodInfo> podOf = new HashMap<>();
    if (vn != null && vn.spec().podSelector() != null) {
      for (PodWatch.PodInfo p : inNamespace.values()) {
        if (p.deleting() || p.ip().isEmpty() || !vn.spec().podSelector().matches(p.labels())) {
          continue;
        }
        long selectedBy = neighbours.stream().filter(o -> o.spec().podSelector() != null
            && o.spec().podSelector().matches(p.labels())).count();
        if (selectedBy > 1) {
          if (loggedShared.add(ns + "/" + p.name())) {
            LOG.warn("Cloud Map registration: pod {}/{} is selected by {} VirtualNodes; App Mesh refused such pods, "
                + "it is not registered", ns, p.name(), selectedBy);
          }
          continue;
        }
        if (podOf.putIfAbsent(p.ip(), p) != null) {
          continue; // two pods, one IP (host network): the first one by name
        }
        Map<String, String> attrs = InstanceAttributes.of(p, vn, s.mesh(), s.node(), pods.node(p.nodeName()));
        if (p.containersReady()) {
          ready.put(p.ip(), attrs);
        } else if (p.inEndpoints()) {
          notReady.put(p.ip(), attrs);
        }
      }
    }
    Map<String, Map<String, String>> existing = new TreeMap<>();
    svc.instances.forEach((id, attrs) -> {
      if (InstanceAttributes.inSubset(attrs, s.mesh(), s.node())) {
        existing.put(id, attrs);
      }
    });
    int todo = 0;
    Instant next = null;
    for (Map.Entry<String, Map<String, String>> e : ready.entrySet()) {
      Map<String, String> have = existing.get(e.getKey());
      if (have == null || !InstanceAttributes.same(e.getValue(), have)) {
        Map<String, String> attrs = new TreeMap<>(e.getValue());
        attrs.put(InstanceAttributes.INIT_HEALTH, have != null && have.containsKey(InstanceAttributes.INIT_HEALTH)
            ? have.get(InstanceAttributes.INIT_HEALTH) : "HEALTHY");
        todo++;
        next = earliest(next, act(svc, e.getKey(), Kind.REGISTER, attrs, podOf.get(e.getKey())));
      } else {
        registeredAt.putIfAbsent(key(svc, e.getKey()), now);
        if (svc.customHealthCheck && healthSet.get(key(svc, e.getKey())) != Kind.HEALTHY) {
          todo++;
          next = earliest(next, act(svc, e.getKey(), Kind.HEALTHY, null, podOf.get(e.getKey())));
        } else {
          next = earliest(next, gate(svc, e.getKey(), podOf.get(e.getKey()), now));
        }
      }
    }
    if (svc.customHealthCheck) {
      for (Map.Entry<String, Map<String, String>> e : notReady.entrySet()) {
        Map<String, String> have = existing.get(e.getKey());
        if (have == null) {
          continue; // the controller registered only ready pods
        }
        if (!InstanceAttributes.same(e.getValue(), have)) {
          Map<String, String> attrs = new TreeMap<>(e.getValue());
          attrs.put(InstanceAttributes.INIT_HEALTH, have.getOrDefault(InstanceAttributes.INIT_HEALTH, "UNHEALTHY"));
          todo++;
          next = earliest(next, act(svc, e.getKey(), Kind.REGISTER, attrs, podOf.get(e.getKey())));
        } else if (healthSet.get(key(svc, e.getKey())) != Kind.UNHEALTHY) {
          todo++;
          next = earliest(next, act(svc, e.getKey(), Kind.UNHEALTHY, null, podOf.get(e.getKey())));
        }
      }
    }
    for (String id : existing.keySet()) {
      if (!ready.containsKey(id) && !(svc.customHealthCheck && notReady.containsKey(id))) {
        todo++;
        next = earliest(next, act(svc, id, Kind.DEREGISTER, null, null));
      }
    }
    return new Result(todo, next, todo == 0);
  }

  private static String key(ServiceDirectory.Service svc, String instance) {
    return svc.id + "/" + instance;
  }

  /** Lists a service's instances (all pages); false when the call failed (retried later). */
  private boolean list(ServiceDirectory.Service svc, Instant now) {
    try {
      Map<String, Map<String, String>> all = new HashMap<>();
      for (var page : setup.client().listInstancesPaginator(b -> b.serviceId(svc.id))) {
        page.instances().forEach(i -> all.put(i.id(), Map.copyOf(i.attributes())));
        if (all.size() >= MAX_INSTANCES) {
          LOG.warn("Cloud Map registration: service {} holds {}+ instances; only the first are compared", svc, MAX_INSTANCES);
          break;
        }
      }
      count("ListInstances", "success");
      svc.instances = all;
      svc.listedAt = now;
      svc.failures = 0;
      return true;
    } catch (SdkException e) {
      count("ListInstances", CloudMapErrors.code(e));
      if (notFound(e)) {
        directory.forget(svc);
      }
      svc.failures++;
      svc.error = CloudMapErrors.describe(e);
      svc.retryAt = now.plusMillis(backoffMillis(svc.failures, config));
      LOG.warn("Cloud Map registration: listing the instances of {} failed: {}; retrying", svc, svc.error);
      return false;
    }
  }

  /**
   * Does {@code kind} to an instance unless an operation on it is under way, its last failure is
   * too recent, or the rate limit says wait. Returns when to look again.
   */
  private Instant act(ServiceDirectory.Service svc, String id, Kind kind, Map<String, String> attrs, PodWatch.PodInfo pod) {
    Instant now = clock.instant();
    Map<String, Op> inFlight = ops.computeIfAbsent(svc.id, k -> new HashMap<>());
    Op op = inFlight.get(id);
    if (op != null) {
      return op.pollAt();
    }
    Retry r = retries.get(key(svc, id));
    if (r != null && now.isBefore(r.at())) {
      return r.at();
    }
    if (!leading) {
      return null; // the lease was lost during this pass
    }
    if (!limiter.take()) {
      return limiter.next();
    }
    String what = kind.name();
    try {
      switch (kind) {
        case REGISTER -> {
          String opId = setup.client().registerInstance(b -> b.serviceId(svc.id).instanceId(id).attributes(attrs)).operationId();
          inFlight.put(id, new Op(kind, opId, attrs, now));
          what = "RegisterInstance";
        }
        case DEREGISTER -> {
          String opId = setup.client().deregisterInstance(b -> b.serviceId(svc.id).instanceId(id)).operationId();
          inFlight.put(id, new Op(kind, opId, null, now));
          what = "DeregisterInstance";
        }
        case HEALTHY, UNHEALTHY -> {
          setup.client().updateInstanceCustomHealthStatus(b -> b.serviceId(svc.id).instanceId(id)
              .status(kind == Kind.HEALTHY ? CustomHealthStatus.HEALTHY : CustomHealthStatus.UNHEALTHY));
          healthSet.put(key(svc, id), kind);
          what = "UpdateInstanceCustomHealthStatus";
          LOG.info("Cloud Map: instance {} of {} marked {}{}", id, svc, kind, pod == null ? "" : " (pod " + pod.namespace() + "/" + pod.name() + ")");
        }
        default -> throw new IllegalStateException(kind.toString());
      }
      count(what, "success");
      retries.remove(key(svc, id));
      return now;
    } catch (SdkException e) {
      String code = CloudMapErrors.code(e);
      count(kind == Kind.REGISTER ? "RegisterInstance" : kind == Kind.DEREGISTER ? "DeregisterInstance"
          : "UpdateInstanceCustomHealthStatus", code);
      if (kind == Kind.DEREGISTER && code.equals("InstanceNotFound")) {
        svc.instances.remove(id); // gone already
        return now;
      }
      if (notFound(e) && !code.equals("InstanceNotFound")) {
        directory.forget(svc);
      }
      int failures = r == null ? 1 : r.failures() + 1;
      Instant at = now.plusMillis(backoffMillis(failures, config));
      retries.put(key(svc, id), new Retry(failures, at));
      if (failures == 1 || !CloudMapErrors.throttled(e)) {
        LOG.warn("Cloud Map registration: {} of {} in {} failed: {}; retrying in {} ms", kind, id, svc,
            CloudMapErrors.describe(e), Duration.between(now, at).toMillis());
      }
      return at;
    }
  }

  private static boolean notFound(SdkException e) {
    String code = CloudMapErrors.code(e);
    return code.equals("ServiceNotFound") || code.equals("NamespaceNotFound") || code.equals("InstanceNotFound");
  }

  /** Follows operations under way; returns when the next poll is due. */
  private Instant poll() {
    Instant now = clock.instant();
    Instant next = null;
    for (Map.Entry<String, Map<String, Op>> bySvc : ops.entrySet()) {
      for (var it = bySvc.getValue().entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        Op op = e.getValue();
        if (now.isBefore(op.pollAt())) {
          next = earliest(next, op.pollAt());
          continue;
        }
        String svcId = bySvc.getKey();
        String id = e.getKey();
        try {
          Operation o = setup.client().getOperation(b -> b.operationId(op.operationId())).operation();
          count("GetOperation", "success");
          switch (o.statusAsString()) {
            case "SUCCESS" -> {
              it.remove();
              done(svcId, id, op, now);
            }
            case "FAIL" -> {
              it.remove();
              Retry r = retries.get(svcId + "/" + id);
              int failures = r == null ? 1 : r.failures() + 1;
              retries.put(svcId + "/" + id, new Retry(failures, now.plusMillis(backoffMillis(failures, config))));
              LOG.warn("Cloud Map registration: {} of instance {} failed: {} {}", op.kind(), id, o.errorCode(), o.errorMessage());
            }
            default -> {
              Op later = new Op(op.kind(), op.operationId(), op.attrs(), now.plus(POLL));
              e.setValue(later);
              next = earliest(next, later.pollAt());
            }
          }
        } catch (SdkException ex) {
          count("GetOperation", CloudMapErrors.code(ex));
          Op later = new Op(op.kind(), op.operationId(), op.attrs(), now.plus(POLL));
          e.setValue(later);
          next = earliest(next, later.pollAt());
        }
      }
    }
    return next;
  }

  /** A successful operation: what Cloud Map holds now. */
  private void done(String svcId, String id, Op op, Instant now) {
    ServiceDirectory.Service svc = directory.byId(svcId);
    String pod = op.attrs() == null ? "" : " (pod " + op.attrs().get(InstanceAttributes.NAMESPACE) + "/"
        + op.attrs().get(InstanceAttributes.POD) + ", VirtualNode " + op.attrs().get(InstanceAttributes.VIRTUAL_NODE) + ")";
    if (op.kind() == Kind.REGISTER) {
      if (svc != null && svc.instances != null) {
        svc.instances.put(id, op.attrs());
      }
      registeredAt.put(svcId + "/" + id, now);
      healthSet.put(svcId + "/" + id, "UNHEALTHY".equals(op.attrs().get(InstanceAttributes.INIT_HEALTH)) ? Kind.UNHEALTHY : Kind.HEALTHY);
      LOG.info("Cloud Map: registered instance {} in {}{}", id, svc == null ? svcId : svc, pod);
    } else {
      if (svc != null && svc.instances != null) {
        svc.instances.remove(id);
      }
      registeredAt.remove(svcId + "/" + id);
      healthSet.remove(svcId + "/" + id);
      LOG.info("Cloud Map: deregistered instance {} from {}", id, svc == null ? svcId : svc);
    }
  }

  /** Sets a registered pod's readiness gate once its instance has been registered long enough. */
  private Instant gate(ServiceDirectory.Service svc, String id, PodWatch.PodInfo pod, Instant now) {
    if (pod == null || !pod.declaresGate() || pod.gateTrue()) {
      return null;
    }
    Instant since = registeredAt.get(key(svc, id));
    Instant due = since == null ? null : since.plusSeconds(config.registration().readinessGateDelaySeconds());
    if (due == null || now.isBefore(due)) {
      return due;
    }
    try {
      pods.setGateTrue(pod);
      LOG.info("Cloud Map: pod {}/{} is registered; its readiness gate {} is True", pod.namespace(), pod.name(),
          PodWatch.READINESS_GATE);
      return null;
    } catch (KubernetesClientException e) {
      LOG.warn("Cloud Map registration: cannot set the readiness gate of pod {}/{}: {}", pod.namespace(), pod.name(), e.getMessage());
      return now.plusSeconds(5);
    }
  }

  /** 1, 2, 4 … seconds after the n-th failure, at most {@code maxBackoffSeconds}. */
  static long backoffMillis(int failures, CloudMapConfig config) {
    return Math.min(config.maxBackoffSeconds() * 1000L, 1000L << Math.min(20, Math.max(0, failures - 1)));
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private void count(String operation, String outcome) {
    Counter.builder("appmeshxds_cloudmap_registration_calls_total").tag("operation", operation).tag("outcome", outcome)
        .description("Cloud Map calls made to register pods, by operation and outcome (an AWS error code)").register(metrics)
        .increment();
  }

  /** Instances whose state is not yet what the pods say (after the last pass). */
  public int pending() {
    return pending;
  }

  /** Whether the pods of {@code namespace} are listed and watched now (for tests and diagnostics). */
  public boolean watchingPods(String namespace) {
    return pods.watching(namespace);
  }

  /** Whether this replica registers now. */
  public boolean leading() {
    return leading;
  }

  @Override
  public void close() {
    loop.close();
    pods.close();
  }
}
