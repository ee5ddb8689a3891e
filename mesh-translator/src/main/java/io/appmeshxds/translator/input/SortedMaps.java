package io.appmeshxds.translator.input;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.function.Consumer;

/** Differences between sorted maps (snapshots of inputs, statuses). */
public final class SortedMaps {
  private SortedMaps() {}

  /**
   * Reports every key present in one map only, or mapped to unequal values, by merging both in key
   * order. The same map instance is skipped, and values that are the same instance are not compared:
   * snapshots that share structure diff in time proportional to what they do not share.
   */
  public static <K extends Comparable<? super K>, V> void diff(SortedMap<K, V> a, SortedMap<K, V> b, Consumer<K> changed) {
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
