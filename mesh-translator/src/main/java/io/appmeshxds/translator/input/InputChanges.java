package io.appmeshxds.translator.input;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * What differs between two input snapshots: refs of App Mesh objects, Services and EndpointSlices
 * that were added, removed or changed (including where they came from), Namespaces by name, and DNS
 * host names whose answers changed. {@link #all()} means "treat everything as changed".
 *
 * @param all everything changed (first build, or the caller does not know)
 * @param refs changed objects, Services and EndpointSlices
 * @param namespaces changed Namespaces
 * @param dnsHosts host names whose resolved addresses changed
 */
public record InputChanges(boolean all, Set<ObjectRef> refs, Set<String> namespaces, Set<String> dnsHosts) {

  public InputChanges {
    refs = Set.copyOf(refs);
    namespaces = Set.copyOf(namespaces);
    dnsHosts = Set.copyOf(dnsHosts);
  }

  public static InputChanges everything() {
    return new InputChanges(true, Set.of(), Set.of(), Set.of());
  }

  public boolean isEmpty() {
    return !all && refs.isEmpty() && namespaces.isEmpty() && dnsHosts.isEmpty();
  }

  /**
   * The changes from {@code before} to {@code after}. Maps that are the same instance are skipped
   * and values that are the same instance are not compared, so snapshots that share structure (as
   * the store's do) diff in time proportional to what changed in the maps that changed.
   */
  public static InputChanges between(MeshResources before, MeshResources after) {
    if (before == null) {
      return everything();
    }
    Set<ObjectRef> refs = new HashSet<>();
    diff(before.objects(), after.objects(), refs::add);
    diff(before.services(), after.services(), refs::add);
    diff(before.endpointSlices(), after.endpointSlices(), refs::add);
    if (before.sources() != after.sources()) {
      Set<ObjectRef> keys = new HashSet<>(before.sources().keySet());
      keys.addAll(after.sources().keySet());
      for (ObjectRef r : keys) {
        if (!Objects.equals(before.sources().get(r), after.sources().get(r))) {
          refs.add(r);
        }
      }
    }
    Set<String> namespaces = new HashSet<>();
    diff(before.namespaces(), after.namespaces(), namespaces::add);
    Set<String> hosts = new HashSet<>();
    if (before.dnsAnswers() != after.dnsAnswers()) {
      Set<String> keys = new HashSet<>(before.dnsAnswers().keySet());
      keys.addAll(after.dnsAnswers().keySet());
      for (String h : keys) {
        if (!Objects.equals(before.dnsAnswers().get(h), after.dnsAnswers().get(h))) {
          hosts.add(h);
        }
      }
    }
    return new InputChanges(false, refs, namespaces, hosts);
  }

  /** Reports every key present in one map only, or mapped to unequal values, by merging both in key order. */
  static <K extends Comparable<? super K>, V> void diff(SortedMap<K, V> a, SortedMap<K, V> b, Consumer<K> changed) {
    if (a == b) {
      return;
    }
    Iterator<Map.Entry<K, V>> ia = a.entrySet().iterator();
    Iterator<Map.Entry<K, V>> ib = b.entrySet().iterator();
    Map.Entry<K, V> ea = ia.hasNext() ? ia.next() : null;
    Map.Entry<K, V> eb = ib.hasNext() ? ib.next() : null;
    while (ea != null || eb != null) {
      int c = ea == null ? 1 : eb == null ? -1 : ea.getKey().compareTo(eb.getKey());
      if (c < 0) {
        changed.accept(ea.getKey());
        ea = ia.hasNext() ? ia.next() : null;
      } else if (c > 0) {
        changed.accept(eb.getKey());
        eb = ib.hasNext() ? ib.next() : null;
      } else {
        if (ea.getValue() != eb.getValue() && !Objects.equals(ea.getValue(), eb.getValue())) {
          changed.accept(ea.getKey());
        }
        ea = ia.hasNext() ? ia.next() : null;
        eb = ib.hasNext() ? ib.next() : null;
      }
    }
  }
}
