package io.appmeshxds.server.reconcile;

import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.SourceRef;
import io.appmeshxds.translator.status.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every input object, by source partition (a manifest file, a Kubernetes kind, …). Sources write;
 * the reconciler takes immutable {@link MeshResources} snapshots. A write that changes nothing (an
 * equal object) does not count as a change, so status-only updates and resyncs trigger nothing.
 */
public final class ResourceStore {

  /** One stored object and where it came from. */
  public record Entry(Object object, SourceRef source) {}

  private final Map<String, Map<ObjectRef, Entry>> partitions = new TreeMap<>();
  private final Map<String, List<Problem>> problems = new HashMap<>();
  private final Map<String, Map<ObjectRef, List<Problem>>> objectProblems = new TreeMap<>();
  private final Map<String, List<String>> dns = new TreeMap<>();
  private final Set<String> sources = ConcurrentHashMap.newKeySet();
  private final Set<String> synced = ConcurrentHashMap.newKeySet();
  private volatile Runnable onChange = () -> {};
  private long revision;

  /** Called after every effective change (from the writer's thread). */
  public void onChange(Runnable r) {
    onChange = r;
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
      onChange.run();
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

  /** Replaces a partition's objects and problems; returns whether anything changed. */
  public boolean replace(String partition, Map<ObjectRef, Entry> objects, List<Problem> partitionProblems) {
    boolean changed;
    synchronized (this) {
      Map<ObjectRef, Entry> old = partitions.getOrDefault(partition, Map.of());
      List<Problem> oldProblems = problems.getOrDefault(partition, List.of());
      changed = !sameObjects(old, objects) || !oldProblems.equals(partitionProblems);
      if (changed) {
        if (objects.isEmpty()) {
          partitions.remove(partition);
        } else {
          partitions.put(partition, new LinkedHashMap<>(objects));
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
      onChange.run();
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
      changed = object == null ? old != null : old == null || !Objects.equals(old.object(), object);
      if (p.isEmpty()) {
        partitions.remove(partition);
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
      onChange.run();
    }
    return changed;
  }

  /** Records what the server resolved for a DNS host name. */
  public void dnsAnswer(String host, List<String> addresses) {
    boolean changed;
    synchronized (this) {
      changed = !addresses.equals(dns.put(host, List.copyOf(addresses)));
      if (changed) {
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

  /** An immutable snapshot of everything stored. */
  public synchronized MeshResources snapshot() {
    MeshResources.Builder b = MeshResources.builder();
    for (Map<ObjectRef, Entry> p : partitions.values()) {
      p.forEach((ref, e) -> b.add(e.object(), ref, e.source()));
    }
    problems.values().forEach(ps -> ps.forEach(b::addLoadProblem));
    objectProblems.values().forEach(m -> new TreeMap<>(m).values().forEach(ps -> ps.forEach(b::addLoadProblem)));
    dns.forEach(b::dnsAnswer);
    return b.build();
  }

  /**
   * A snapshot taken atomically with the check that every source is synced, or null when one is not
   * (never started, or relisting). Why atomic: a relist that starts between a separate check and the
   * snapshot could otherwise be seen half-applied.
   */
  public synchronized MeshResources syncedSnapshot() {
    return allSynced() ? snapshot() : null;
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
