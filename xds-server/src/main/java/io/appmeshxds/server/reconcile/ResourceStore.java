package io.appmeshxds.server.reconcile;

import io.appmeshxds.translator.input.AcmMaterial;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.SourceRef;
import io.appmeshxds.translator.input.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.HashSet;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.input.CloudMapAnswer;
import io.appmeshxds.translator.input.CloudMapQuery;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.GatewayApi;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.K8sNamespace;
import io.appmeshxds.translator.input.K8sService;
import org.pcollections.TreePMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every input object, by source partition (a manifest file, a Kubernetes kind, …). Sources write;
 * the reconciler takes immutable {@link MeshResources} snapshots. A write that changes nothing (an
 * equal object) does not count as a change, so status-only updates and resyncs trigger nothing.
 *
 * <p>The merged view every snapshot shows is kept up to date write by write in persistent maps:
 * taking a snapshot costs nothing, whatever the size of the mesh, and {@link #takeSyncedSnapshot}
 * also says what changed since the last one taken, so the reconciler does not diff snapshots.
 * When two partitions hold the same object, the last partition (by name) wins, as {@code kubectl
 * apply} keeps the last copy, and a warning names both places. Objects Flagger creates from Canaries
 * (derived by the manifest source) give way to any real object of the same identity.
 */
public final class ResourceStore {

  /** One stored object and where it came from. */
  public record Entry(Object object, SourceRef source) {}

  private final Map<String, Map<ObjectRef, Entry>> partitions = new TreeMap<>();
  private final Map<String, List<Problem>> problems = new HashMap<>();
  private final Map<String, Map<ObjectRef, List<Problem>>> objectProblems = new TreeMap<>();
  private final Map<String, List<String>> dns = new TreeMap<>();
  /** For each ref, the partitions that hold it, by partition name: the last one is served. */
  private final Map<ObjectRef, TreeMap<String, Entry>> holders = new HashMap<>();
  private final Map<ObjectRef, List<Problem>> duplicates = new TreeMap<>();
  private TreePMap<ObjectRef, MeshObject> objects = TreePMap.empty();
  private TreePMap<String, K8sNamespace> namespaces = TreePMap.empty();
  private TreePMap<ObjectRef, K8sService> services = TreePMap.empty();
  private TreePMap<ObjectRef, EndpointSlice> slices = TreePMap.empty();
  private TreePMap<ObjectRef, GatewayApi.Resource> gatewayApi = TreePMap.empty();
  private TreePMap<ObjectRef, SourceRef> sourceRefs = TreePMap.empty();
  private TreePMap<String, List<String>> dnsView = TreePMap.empty();
  private TreePMap<String, AcmMaterial.Certificate> acmCertificates = TreePMap.empty();
  private TreePMap<String, AcmMaterial.Authority> acmAuthorities = TreePMap.empty();
  private TreePMap<CloudMapQuery, CloudMapAnswer> cloudMapView = TreePMap.empty();
  /** What changed since the last {@link #takeSyncedSnapshot()}. */
  private Set<ObjectRef> changedRefs = new HashSet<>();
  private Set<String> changedNamespaces = new HashSet<>();
  private Set<String> changedHosts = new HashSet<>();
  private Set<CloudMapQuery> changedCloudMap = new HashSet<>();

  /** A snapshot and what changed since the previous one taken. */
  public record Snapshot(MeshResources resources, InputChanges changes) {}
  private final Set<String> sources = ConcurrentHashMap.newKeySet();
  private final Set<String> synced = ConcurrentHashMap.newKeySet();
  private volatile Runnable onChange = () -> {};
  private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private long revision;

  /** Called after every effective change (from the writer's thread). */
  public void onChange(Runnable r) {
    onChange = r;
  }

  /**
   * Also called after every effective change, from the writer's thread, for readers other than the
   * reconciler (the Cloud Map refresher learns of new questions this way). Must not block.
   */
  public void addListener(Runnable r) {
    listeners.add(r);
  }

  private void changed() {
    onChange.run();
    for (Runnable r : listeners) {
      r.run();
    }
  }

  /** Declares a source; nothing is built until every declared source reported synced. */
  public void register(String source) {
    sources.add(source);
  }

  public void markSynced(String source) {
    boolean added;
    synchronized (this) {
      added = synced.add(source);
    }
    if (added) {
      changed();
    }
  }

  /**
   * A source is re-reading everything (a Kubernetes relist): until it reports synced again, no
   * snapshot is taken ({@link #syncedSnapshot()} returns null), so a half-applied relist is never
   * translated.
   */
  public synchronized void markUnsynced(String source) {
    synced.remove(source);
  }

  public boolean allSynced() {
    return synced.containsAll(sources);
  }

  /**
   * Whether another source than {@code source} is declared and every one of them reported synced.
   * Why at least one: a source that depends on the others' objects (the Cloud Map refresher asks
   * what VirtualNodes ask) must not report synced before they have even started, or the first
   * build would publish an empty store.
   */
  public boolean allSyncedExcept(String source) {
    boolean other = false;
    for (String s : sources) {
      if (!s.equals(source)) {
        other = true;
        if (!synced.contains(s)) {
          return false;
        }
      }
    }
    return other;
  }

  /** Replaces a partition's objects and problems; returns whether anything changed. */
  public boolean replace(String partition, Map<ObjectRef, Entry> entries, List<Problem> partitionProblems) {
    boolean changed;
    synchronized (this) {
      Map<ObjectRef, Entry> old = partitions.getOrDefault(partition, Map.of());
      List<Problem> oldProblems = problems.getOrDefault(partition, List.of());
      changed = !sameObjects(old, entries) || !oldProblems.equals(partitionProblems);
      if (changed) {
        if (entries.isEmpty()) {
          partitions.remove(partition);
        } else {
          partitions.put(partition, new LinkedHashMap<>(entries));
        }
        Set<ObjectRef> touched = new HashSet<>(old.keySet());
        touched.addAll(entries.keySet());
        for (ObjectRef ref : touched) {
          Entry before = old.get(ref);
          Entry after = entries.get(ref);
          if (!Objects.equals(before, after)) {
            hold(partition, ref, after);
          }
        }
        if (partitionProblems.isEmpty()) {
          problems.remove(partition);
        } else {
          problems.put(partition, List.copyOf(partitionProblems));
        }
        revision++;
      }
    }
    if (changed) {
      changed();
    }
    return changed;
  }

  /** Sets or removes (null) one object of a partition; returns whether anything changed. */
  public boolean put(String partition, ObjectRef ref, Object object) {
    return put(partition, ref, object, List.of());
  }

  /**
   * Sets or removes (null) one object of a partition together with the problems found reading it
   * (an object that could not be read at all is {@code null} with problems: it exists, unserved).
   * An equal object with equal problems is no change. Returns whether anything changed.
   */
  public boolean put(String partition, ObjectRef ref, Object object, List<Problem> readProblems) {
    boolean changed;
    synchronized (this) {
      Map<ObjectRef, Entry> p = partitions.computeIfAbsent(partition, k -> new LinkedHashMap<>());
      Entry old = object == null ? p.remove(ref) : p.put(ref, new Entry(object, null));
      boolean objectChanged = object == null ? old != null : old == null || !Objects.equals(old.object(), object);
      changed = objectChanged;
      if (p.isEmpty()) {
        partitions.remove(partition);
      }
      if (objectChanged) {
        hold(partition, ref, object == null ? null : new Entry(object, null));
      } else if (old != null && object != null) {
        // Equal content, kept as stored: snapshots keep sharing the instance they hold.
        p.put(ref, old);
      }
      Map<ObjectRef, List<Problem>> pp = objectProblems.computeIfAbsent(partition, k -> new HashMap<>());
      List<Problem> oldProblems = readProblems.isEmpty() ? pp.remove(ref) : pp.put(ref, List.copyOf(readProblems));
      changed |= !Objects.equals(oldProblems == null ? List.of() : oldProblems, readProblems);
      if (pp.isEmpty()) {
        objectProblems.remove(partition);
      }
      if (changed) {
        revision++;
      }
    }
    if (changed) {
      changed();
    }
    return changed;
  }

  /** Records what the server resolved for a DNS host name. */
  public void dnsAnswer(String host, List<String> addresses) {
    boolean changed;
    synchronized (this) {
      changed = !addresses.equals(dns.put(host, List.copyOf(addresses)));
      if (changed) {
        dnsView = dnsView.plus(host, List.copyOf(addresses));
        changedHosts.add(host);
        revision++;
      }
    }
    if (changed) {
      changed();
    }
  }

  /**
   * Records what the server discovered in Cloud Map for a question (null: forget it, nobody asks it
   * any more). An equal answer is no change.
   */
  public void cloudMapAnswer(CloudMapQuery query, CloudMapAnswer answer) {
    boolean changed;
    synchronized (this) {
      changed = !java.util.Objects.equals(answer, cloudMapView.get(query));
      if (changed) {
        cloudMapView = answer == null ? cloudMapView.minus(query) : cloudMapView.plus(query, answer);
        changedCloudMap.add(query);
        revision++;
      }
    }
    if (changed) {
      changed();
    }
  }

  /**
   * Records (or, with null, forgets) what the server exported from ACM for a certificate ARN. An
   * equal certificate is no change; a renewed one changes exactly the proxies that use it.
   */
  public void acmCertificate(String arn, AcmMaterial.Certificate c) {
    boolean changed;
    synchronized (this) {
      changed = !Objects.equals(acmCertificates.get(arn), c);
      if (changed) {
        acmCertificates = c == null ? acmCertificates.minus(arn) : acmCertificates.plus(arn, c);
        changedRefs.add(AcmMaterial.certificateRef(arn));
        revision++;
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  /** Records (or, with null, forgets) an ACM Private CA's certificate. */
  public void acmAuthority(String arn, AcmMaterial.Authority a) {
    boolean changed;
    synchronized (this) {
      changed = !Objects.equals(acmAuthorities.get(arn), a);
      if (changed) {
        acmAuthorities = a == null ? acmAuthorities.minus(arn) : acmAuthorities.plus(arn, a);
        changedRefs.add(AcmMaterial.authorityRef(arn));
        revision++;
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  /** A monotonically increasing counter of effective changes. */
  public synchronized long revision() {
    return revision;
  }

  /** An immutable snapshot of everything stored (it costs nothing: the maps are persistent). */
  public synchronized MeshResources snapshot() {
    List<Problem> loadProblems = new ArrayList<>();
    duplicates.values().forEach(loadProblems::addAll);
    problems.values().forEach(loadProblems::addAll);
    objectProblems.values().forEach(m -> new TreeMap<>(m).values().forEach(loadProblems::addAll));
    return new MeshResources(objects, namespaces, services, slices, sourceRefs, loadProblems, dnsView, cloudMapView,
        new AcmMaterial.Fetched(acmCertificates, acmAuthorities), gatewayApi);
  }

  /**
   * A snapshot taken atomically with the check that every source is synced, or null when one is not
   * (never started, or relisting). Why atomic: a relist that starts between a separate check and the
   * snapshot could otherwise be seen half-applied.
   */
  public synchronized MeshResources syncedSnapshot() {
    return allSynced() ? snapshot() : null;
  }

  /**
   * As {@link #syncedSnapshot()}, with what changed since the last snapshot taken this way (the
   * reconciler's; there is one taker). Null, and nothing consumed, when a source is not synced.
   */
  public synchronized Snapshot takeSyncedSnapshot() {
    if (!allSynced()) {
      return null;
    }
    InputChanges changes = new InputChanges(false, changedRefs, changedNamespaces, changedHosts, changedCloudMap);
    changedRefs = new HashSet<>();
    changedNamespaces = new HashSet<>();
    changedHosts = new HashSet<>();
    changedCloudMap = new HashSet<>();
    return new Snapshot(snapshot(), changes);
  }

  /**
   * Records that {@code partition} now holds {@code entry} for {@code ref} (null: no longer), and
   * updates the merged view. The last partition's copy (by partition name, the order files are read
   * in) is served, as {@code kubectl apply} keeps the last copy; one warning names the first and
   * the last place. An object Flagger creates from a Canary (its source says so) is served only
   * while no partition holds a real one: a real object always wins, silently, and when it goes
   * away the derived one is served again.
   */
  private void hold(String partition, ObjectRef ref, Entry entry) {
    TreeMap<String, Entry> byPartition = holders.computeIfAbsent(ref, k -> new TreeMap<>());
    if (entry == null) {
      byPartition.remove(partition);
    } else {
      byPartition.put(partition, entry);
    }
    Entry firstReal = null;
    Entry lastReal = null;
    Entry firstDerived = null;
    int reals = 0;
    for (Entry e : byPartition.values()) {
      if (e.source() != null && e.source().derived()) {
        firstDerived = firstDerived == null ? e : firstDerived;
      } else {
        firstReal = firstReal == null ? e : firstReal;
        lastReal = e;
        reals++;
      }
    }
    if (byPartition.isEmpty()) {
      holders.remove(ref);
    }
    serve(ref, lastReal != null ? lastReal : firstDerived);
    if (reals > 1) {
      duplicates.put(ref, List.of(MeshResources.redefined(ref, firstReal.source(), lastReal.source())));
    } else {
      duplicates.remove(ref);
    }
    changedRefs.add(ref);
  }

  /** Sets the merged view's object for {@code ref} (null: none). */
  private void serve(ObjectRef ref, Entry e) {
    Object o = e == null ? null : e.object();
    switch (ref.kind()) {
      case "Namespace" -> {
        namespaces = o instanceof K8sNamespace n ? namespaces.plus(ref.name(), n) : namespaces.minus(ref.name());
        changedNamespaces.add(ref.name());
      }
      case "Service" -> services = o instanceof K8sService svc ? services.plus(ref, svc) : services.minus(ref);
      case "EndpointSlice" -> slices = o instanceof EndpointSlice es ? slices.plus(ref, es) : slices.minus(ref);
      case "HTTPRoute", "GRPCRoute", "ReferenceGrant", "Gateway", "GatewayClass" ->
          gatewayApi = o instanceof GatewayApi.Resource g ? gatewayApi.plus(ref, g) : gatewayApi.minus(ref);
      default -> {
        if (o != null && !(o instanceof MeshObject)) {
          throw new IllegalArgumentException("unsupported input " + o.getClass() + " for " + ref);
        }
        objects = o == null ? objects.minus(ref) : objects.plus(ref, (MeshObject) o);
      }
    }
    sourceRefs = e == null || e.source() == null ? sourceRefs.minus(ref) : sourceRefs.plus(ref, e.source());
  }

  /** Problems of every partition (for /status). */
  public synchronized Map<String, List<Problem>> problems() {
    Map<String, List<Problem>> out = new TreeMap<>(problems);
    objectProblems.forEach((partition, m) -> {
      List<Problem> all = new ArrayList<>(out.getOrDefault(partition, List.of()));
      new TreeMap<>(m).values().forEach(all::addAll);
      out.put(partition, all);
    });
    return out;
  }

  private static boolean sameObjects(Map<ObjectRef, Entry> a, Map<ObjectRef, Entry> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<ObjectRef, Entry> e : a.entrySet()) {
      Entry other = b.get(e.getKey());
      if (other == null || !Objects.equals(other.object(), e.getValue().object())
          || !Objects.equals(other.source(), e.getValue().source())) {
        return false;
      }
    }
    return true;
  }

  /** Sorted copy of refs, for tests. */
  public synchronized List<ObjectRef> refs() {
    List<ObjectRef> out = new ArrayList<>();
    partitions.values().forEach(p -> out.addAll(p.keySet()));
    out.sort(null);
    return out;
  }
}
