package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.incremental.Dep;
import io.appmeshxds.translator.incremental.Reads;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.pcollections.TreePMap;

/**
 * One kind's entries of a mesh graph, by App Mesh name: an immutable sorted map that tells {@link
 * Reads} what is read from it. A lookup reads one {@link Dep.Entry}; asking for the names reads
 * {@link Dep.Names}; iterating values reads {@link Dep.Values}. Updates ({@link #plus}, {@link
 * #minus}) return a new map sharing structure with this one, so a one-object change costs O(log n)
 * and every earlier graph stays valid.
 *
 * @param <V> the resolved type
 */
public final class GraphMap<V> extends AbstractMap<String, V> implements SortedMap<String, V> {
  private final String mesh;
  private final Kind kind;
  private final TreePMap<String, V> map;

  private GraphMap(String mesh, Kind kind, TreePMap<String, V> map) {
    this.mesh = mesh;
    this.kind = kind;
    this.map = map;
  }

  /** {@code entries} as a graph map of {@code kind} in {@code mesh} (no copy when it already is one). */
  @SuppressWarnings("unchecked")
  public static <V> GraphMap<V> of(String mesh, Kind kind, Map<String, ? extends V> entries) {
    if (entries instanceof GraphMap<?> g && g.kind == kind && g.mesh.equals(mesh)) {
      return (GraphMap<V>) g;
    }
    if (entries instanceof GraphMap<?> g) {
      return new GraphMap<>(mesh, kind, (TreePMap<String, V>) g.map);
    }
    return new GraphMap<>(mesh, kind, TreePMap.from(entries));
  }

  public static <V> GraphMap<V> empty(String mesh, Kind kind) {
    return new GraphMap<>(mesh, kind, TreePMap.empty());
  }

  /** This map with {@code name} set to {@code value}. */
  public GraphMap<V> plus(String name, V value) {
    return new GraphMap<>(mesh, kind, map.plus(name, value));
  }

  /** This map without {@code name}. */
  public GraphMap<V> minus(String name) {
    return new GraphMap<>(mesh, kind, map.minus(name));
  }

  String mesh() {
    return mesh;
  }

  Kind kind() {
    return kind;
  }

  /** The entry, without recording a read (for the builder's own bookkeeping). */
  V peek(String name) {
    return map.get(name);
  }

  private void readEntry(Object key) {
    if (Reads.active() && key instanceof String s) {
      Reads.read(new Dep.Entry(mesh, kind, s));
    }
  }

  private void readNames() {
    if (Reads.active()) {
      Reads.read(new Dep.Names(mesh, kind));
    }
  }

  private void readValues() {
    if (Reads.active()) {
      Reads.read(new Dep.Values(mesh, kind));
    }
  }

  @Override
  public V get(Object key) {
    readEntry(key);
    return map.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    readEntry(key);
    return map.containsKey(key);
  }

  @Override
  public int size() {
    readNames();
    return map.size();
  }

  @Override
  public boolean isEmpty() {
    readNames();
    return map.isEmpty();
  }

  @Override
  public Set<String> keySet() {
    readNames();
    return map.keySet();
  }

  @Override
  public Collection<V> values() {
    readValues();
    return map.values();
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    readValues();
    return map.entrySet();
  }

  @Override
  public Comparator<? super String> comparator() {
    return map.comparator();
  }

  @Override
  public SortedMap<String, V> subMap(String fromKey, String toKey) {
    readValues();
    return map.subMap(fromKey, toKey);
  }

  @Override
  public SortedMap<String, V> headMap(String toKey) {
    readValues();
    return map.headMap(toKey);
  }

  @Override
  public SortedMap<String, V> tailMap(String fromKey) {
    readValues();
    return map.tailMap(fromKey);
  }

  @Override
  public String firstKey() {
    readNames();
    return map.firstKey();
  }

  @Override
  public String lastKey() {
    readNames();
    return map.lastKey();
  }
}
