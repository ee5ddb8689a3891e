package io.appmeshxds.server.cloudmap;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods of the namespaces that hold Cloud Map VirtualNodes, watched only there and only while
 * this replica registers (an informer per namespace, started when first needed, closed when the
 * lease is lost), kept as trimmed {@link PodInfo}s; and the region and zone of the nodes they run
 * on (read once per node, cached for ten minutes). Needs {@code get,list,watch} on pods and
 * {@code get} on nodes.
 */
final class PodWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodWatch.class);
  static final String READINESS_GATE = io.appmeshxds.server.inject.Injector.CLOUD_MAP_GATE;
  private static final Duration NODE_TTL = Duration.ofMinutes(10);
  /** Node labels App Mesh's controller read, newer first. */
  private static final String[] REGION = {"topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region"};
  private static final String[] ZONE = {"topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"};

  /**
   * What registration needs of a pod.
   *
   * @param containersReady condition ContainersReady is True (the controller's "ready": the pod's
   *     own Ready waits for the readiness gate this registration sets)
   * @param inEndpoints not finished (the controller's ShouldPodBeInEndpoints, by restart policy)
   * @param declaresGate the pod lists the Cloud Map readiness gate
   * @param gateTrue its condition is True already
   */
  record PodInfo(String namespace, String name, Map<String, String> labels, String ip, String nodeName, boolean deleting,
      boolean containersReady, boolean inEndpoints, boolean declaresGate, boolean gateTrue) {}

  /** Region and zone of a node (null when unknown). */
  record NodeAttrs(String region, String zone, Instant readAt) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Runnable onChange;
  private final Map<String, SharedIndexInformer<Pod>> informers = new ConcurrentHashMap<>();
  private final Map<String, Map<String, PodInfo>> pods = new ConcurrentHashMap<>();
  private final Set<String> synced = ConcurrentHashMap.newKeySet();
  private final Map<String, NodeAttrs> nodes = new ConcurrentHashMap<>();
  private volatile boolean nodesForbidden;

  PodWatch(KubernetesClient client, Clock clock, Runnable onChange) {
    this.client = client;
    this.clock = clock;
    this.onChange = onChange;
  }

  /** Watches exactly {@code namespaces} from now on (starting and closing informers as needed). */
  void watch(Set<String> namespaces) {
    for (String ns : namespaces) {
      informers.computeIfAbsent(ns, this::start);
    }
    for (String ns : new ArrayList<>(informers.keySet())) {
      if (!namespaces.contains(ns)) {
        SharedIndexInformer<Pod> inf = informers.remove(ns);
        if (inf != null) {
          inf.close();
        }
        pods.remove(ns);
        synced.remove(ns);
      }
    }
  }

  private SharedIndexInformer<Pod> start(String ns) {
    Map<String, PodInfo> m = pods.computeIfAbsent(ns, k -> new ConcurrentHashMap<>());
    SharedIndexInformer<Pod> inf = client.pods().inNamespace(ns).runnableInformer(0);
    inf.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Pod.class, client.getKubernetesSerialization()));
    inf.exceptionHandler((started, t) -> {
      LOG.warn("Cloud Map registration: pods in {}: list/watch failed, retrying: {}", ns, t.toString());
      return true;
    });
    inf.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        m.put(p.getMetadata().getName(), trim(p));
        onChange.run();
      }

      @Override
      public void onUpdate(Pod before, Pod p) {
        m.put(p.getMetadata().getName(), trim(p));
        onChange.run();
      }

      @Override
      public void onDelete(Pod p, boolean unknownFinalState) {
        m.remove(p.getMetadata().getName());
        onChange.run();
      }

      @Override
      public void onBeforeList(String rv) {
        synced.remove(ns);
      }

      @Override
      public void onList(String rv, boolean remainedEmpty) {
        synced.add(ns);
        onChange.run();
      }
    });
    inf.start();
    LOG.info("Cloud Map registration: watching pods in {}", ns);
    return inf;
  }

  /** Whether the pods of {@code ns} are known (its list has completed): only then may instances be removed. */
  boolean synced(String ns) {
    return synced.contains(ns);
  }

  /** Whether the pods of {@code ns} are listed and their watch is open. */
  boolean watching(String ns) {
    SharedIndexInformer<Pod> inf = informers.get(ns);
    return inf != null && synced.contains(ns) && inf.isWatching();
  }

  /** The pods of a watched namespace, by name (sorted). */
  Map<String, PodInfo> pods(String ns) {
    Map<String, PodInfo> m = pods.get(ns);
    return m == null ? Map.of() : new TreeMap<>(m);
  }

  static PodInfo trim(Pod p) {
    var md = p.getMetadata();
    var spec = p.getSpec();
    var st = p.getStatus();
    boolean ready = false;
    boolean gateTrue = false;
    if (st != null && st.getConditions() != null) {
      for (PodCondition c : st.getConditions()) {
        if ("ContainersReady".equals(c.getType())) {
          ready = "True".equals(c.getStatus());
        } else if (READINESS_GATE.equals(c.getType())) {
          gateTrue = "True".equals(c.getStatus());
        }
      }
    }
    boolean gate = false;
    if (spec != null && spec.getReadinessGates() != null) {
      for (PodReadinessGate g : spec.getReadinessGates()) {
        gate |= READINESS_GATE.equals(g.getConditionType());
      }
    }
    String phase = st == null ? null : st.getPhase();
    String restart = spec == null ? null : spec.getRestartPolicy();
    boolean inEndpoints = switch (restart == null ? "Always" : restart) {
      case "Never" -> !"Failed".equals(phase) && !"Succeeded".equals(phase);
      case "OnFailure" -> !"Succeeded".equals(phase);
      default -> true;
    };
    return new PodInfo(md.getNamespace(), md.getName(), md.getLabels() == null ? Map.of() : Map.copyOf(md.getLabels()),
        st == null || st.getPodIP() == null ? "" : st.getPodIP(), spec == null ? null : spec.getNodeName(),
        md.getDeletionTimestamp() != null, ready, inEndpoints, gate, gateTrue);
  }

  /** Region and zone of a node, from its labels (cached); unknown when the node cannot be read. */
  NodeAttrs node(String name) {
    if (name == null || nodesForbidden) {
      return new NodeAttrs(null, null, clock.instant());
    }
    NodeAttrs cached = nodes.get(name);
    Instant now = clock.instant();
    if (cached != null && Duration.between(cached.readAt(), now).compareTo(NODE_TTL) < 0) {
      return cached;
    }
    NodeAttrs a;
    try {
      Node n = client.nodes().withName(name).get();
      Map<String, String> labels = n == null || n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
      a = new NodeAttrs(first(labels, REGION), first(labels, ZONE), now);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        nodesForbidden = true;
        LOG.warn("Cloud Map registration: cannot read nodes ({}); instances get no REGION/AVAILABILITY_ZONE attributes. "
            + "Grant get on nodes (deploy/ does) to have them", e.getMessage());
      }
      a = new NodeAttrs(null, null, now);
    }
    if (nodes.size() > 10_000) {
      nodes.clear();
    }
    nodes.put(name, a);
    return a;
  }

  private static String first(Map<String, String> labels, String[] keys) {
    for (String k : keys) {
      String v = labels.get(k);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  /** Sets the pod's Cloud Map readiness gate condition to True (status subresource). */
  void setGateTrue(PodInfo p) {
    client.pods().inNamespace(p.namespace()).withName(p.name()).editStatus(pod -> {
      List<PodCondition> cs = new ArrayList<>(pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions());
      String now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
      cs.removeIf(c -> READINESS_GATE.equals(c.getType()));
      cs.add(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType(READINESS_GATE).withStatus("True")
          .withLastProbeTime(now).withLastTransitionTime(now).build());
      pod.getStatus().setConditions(cs);
      return pod;
    });
  }

  @Override
  public void close() {
    watch(Set.of());
  }
}
