package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.input.AcmMaterial;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.incremental.Dep;
import io.appmeshxds.translator.incremental.DepIndex;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.ModelChanges;
import io.appmeshxds.translator.incremental.Reads;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.model.ResolvedRouter;
import io.appmeshxds.translator.model.ResolvedService;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Planning state: the model and memoized sub-plans shared by every proxy, so a virtual host or a
 * load assignment used by a thousand sidecars is planned once (and, being one object, translated
 * once).
 *
 * <p>An incremental context ({@link #incremental}) lives across builds: every memoized sub-plan
 * records what it read, and {@link #advance} forgets exactly the sub-plans that read something the
 * build changed. Reads of inputs (EndpointSlices, DNS and Cloud Map answers) go through this class so they are
 * recorded too. Not thread-safe.
 */
public final class PlanContext {
  /** Memo key of a virtual service's ports. */
  private record PortsKey(String mesh, String service) {}

  private MeshModel model;
  private final boolean incremental;
  private final Map<Object, Object> memo = new HashMap<>();
  private final DepIndex<Object> memoReads = new DepIndex<>();
  /** Values the last {@link #advance} forgot, by key (see {@link #replaced}). */
  private final Map<Object, Object> replaced = new HashMap<>();
  private Map<String, TreeMap<ObjectRef, EndpointSlice>> slicesByService;

  /** A context for one build. */
  public PlanContext(MeshModel model) {
    this(model, false);
  }

  private PlanContext(MeshModel model, boolean incremental) {
    this.model = model;
    this.incremental = incremental;
  }

  /** A context kept across builds with {@link #advance}. */
  public static PlanContext incremental(MeshModel model) {
    return new PlanContext(model, true);
  }

  public MeshModel model() {
    return model;
  }

  /**
   * Moves to the next build's model: forgets every memoized sub-plan that read something in {@code
   * changes}, transitively, and adds a {@link Dep.Memo} for each to {@code invalidated}.
   */
  public void advance(MeshModel next, ModelChanges changes, Set<Dep> invalidated) {
    if (!incremental) {
      throw new IllegalStateException("not an incremental context");
    }
    if (changes.all()) {
      throw new IllegalArgumentException("a build from scratch needs a new context");
    }
    MeshModel previous = model;
    model = next;
    if (slicesByService != null) {
      for (Dep d : changes.deps()) {
        if (d instanceof Dep.Input in && "EndpointSlice".equals(in.ref().kind())) {
          reindex(in.ref(), previous.inputs().endpointSlices().get(in.ref()), next.inputs().endpointSlices().get(in.ref()));
        }
      }
    }
    replaced.clear();
    Deque<Dep> work = new ArrayDeque<>(changes.deps());
    List<Object> readers = new ArrayList<>();
    while (!work.isEmpty()) {
      readers.clear();
      memoReads.dependentsOf(work.poll(), readers);
      for (Object key : readers) {
        Object old = memo.remove(key);
        if (old != null) {
          replaced.put(key, old);
          memoReads.remove(key);
          Dep.Memo m = new Dep.Memo(key);
          invalidated.add(m);
          work.add(m);
        }
      }
    }
  }

  /**
   * Memoizes {@code compute} under {@code key} (with what it read, in an incremental context). The
   * computation must depend only on {@code key} and on what it reads through the model: a value the
   * caller looked up and the computation captures is not recorded, so a change to it would leave
   * the entry stale. Look it up again inside.
   */
  @SuppressWarnings("unchecked")
  public <T> T memo(Object key, Supplier<T> compute) {
    Object v = memo.get(key);
    if (v == null) {
      if (incremental) {
        Reads.Recorded<T> r = Reads.record(compute);
        v = r.value();
        memoReads.set(key, r.deps());
      } else {
        v = compute.get();
      }
      memo.put(key, v);
    }
    if (incremental) {
      Reads.read(new Dep.Memo(key));
    }
    return (T) v;
  }

  /**
   * The value memoized under {@code key} that the last {@link #advance} forgot, or null: what every
   * plan that read {@code key} was built from, so a planner can replace it in such a plan
   * ({@link ProxyPlanner#replan}).
   */
  public Object replaced(Object key) {
    return replaced.get(key);
  }

  /** Memoized sub-plans held (for tests and metrics). */
  public int memoized() {
    return memo.size();
  }

  /**
   * Ports a virtual service serves and their protocols: its router's listeners, or its node's.
   * Empty when it has no provider.
   */
  public SortedMap<Long, PortProtocol> servicePorts(MeshGraph mesh, ResolvedService vs) {
    String name = vs.awsName();
    return memo(new PortsKey(mesh.name(), name), () -> {
      // Read through the graph, not the caller's copy: memoized work records only what it reads.
      ResolvedService cur = mesh.services().get(name);
      return cur == null ? new TreeMap<Long, PortProtocol>() : mesh.providerPorts(cur);
    });
  }

  /** EndpointSlices of a Service ({@code namespace/name}), in ref order (recorded). */
  public Collection<EndpointSlice> slicesOf(String namespace, String service) {
    Reads.read(new Dep.Slices(namespace, service));
    if (slicesByService == null) {
      slicesByService = new HashMap<>();
      model.inputs().endpointSlices().forEach((ref, s) -> reindex(ref, null, s));
    }
    TreeMap<ObjectRef, EndpointSlice> s = slicesByService.get(namespace + "/" + service);
    return s == null ? List.of() : s.values();
  }

  private void reindex(ObjectRef ref, EndpointSlice before, EndpointSlice after) {
    if (before != null && before.serviceName() != null) {
      TreeMap<ObjectRef, EndpointSlice> m = slicesByService.get(before.namespace() + "/" + before.serviceName());
      if (m != null) {
        m.remove(ref);
      }
    }
    if (after != null && after.serviceName() != null) {
      slicesByService.computeIfAbsent(after.namespace() + "/" + after.serviceName(), k -> new TreeMap<>()).put(ref, after);
    }
  }

  /** The exported ACM certificate of {@code arn} (recorded); null while the server has not fetched it. */
  public AcmMaterial.Certificate acmCertificate(String arn) {
    Reads.read(new Dep.Input(AcmMaterial.certificateRef(arn)));
    return model.inputs().acm().certificates().get(arn);
  }

  /** The certificate of the ACM Private CA {@code arn} (recorded); null while the server has not fetched it. */
  public AcmMaterial.Authority acmAuthority(String arn) {
    Reads.read(new Dep.Input(AcmMaterial.authorityRef(arn)));
    return model.inputs().acm().authorities().get(arn);
  }

  /** What the server discovered in Cloud Map for a question (recorded), or null when nothing is known. */
  public io.appmeshxds.translator.input.CloudMapAnswer cloudMap(io.appmeshxds.translator.input.CloudMapQuery q) {
    Reads.read(new Dep.CloudMap(q));
    return model.inputs().cloudMap().get(q);
  }

  /** Addresses the server resolved for a DNS host name (recorded); empty when unknown. */
  public List<String> dnsAnswers(String host) {
    Reads.read(new Dep.Dns(host));
    return model.inputs().dnsAnswers().getOrDefault(host, List.of());
  }
}
