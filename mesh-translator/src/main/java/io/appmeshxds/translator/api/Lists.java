package io.appmeshxds.translator.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Null-tolerant immutable copies for record compact constructors. */
final class Lists {
  private Lists() {}

  /** Absent becomes empty; a null item (an empty YAML list entry) is an input error. */
  static <T> List<T> copy(List<T> list) {
    if (list == null) {
      return List.of();
    }
    for (T item : list) {
      if (item == null) {
        throw new IllegalArgumentException("a list item is empty (null)");
      }
    }
    return List.copyOf(list);
  }

  /** Absent becomes empty; null values become empty strings (Kubernetes treats them alike). */
  static Map<String, String> copy(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k, v == null ? "" : v));
    return java.util.Collections.unmodifiableMap(out);
  }
}
