package io.appmeshxds.translator.model;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who read what: for each computation (an object's evaluation, a proxy's plan, a memoized
 * sub-plan) the {@link Dep}s it read, and the reverse. Not thread-safe.
 *
 * @param <C> the computation's key
 */
public final class DepIndex<C> {
  private final Map<C, Set<Dep>> deps = new HashMap<>();
  private final Map<Dep, Set<C>> dependents = new HashMap<>();

  /** Replaces what {@code c} read. */
  public void set(C c, Set<Dep> read) {
    Set<Dep> old = deps.put(c, read);
    if (old == null) {
      for (Dep d : read) {
        dependents.computeIfAbsent(d, k -> new HashSet<>(4)).add(c);
      }
      return;
    }
    // Why a diff: a computation run again mostly reads what it read before; touching only the
    // difference keeps re-planning a proxy proportional to what changed in its reads.
    for (Dep d : old) {
      if (!read.contains(d)) {
        unlink(d, c);
      }
    }
    for (Dep d : read) {
      if (!old.contains(d)) {
        dependents.computeIfAbsent(d, k -> new HashSet<>(4)).add(c);
      }
    }
  }

  private void unlink(Dep d, C c) {
    Set<C> s = dependents.get(d);
    if (s != null) {
      s.remove(c);
      if (s.isEmpty()) {
        dependents.remove(d);
      }
    }
  }

  /** Forgets {@code c}. */
  public void remove(C c) {
    Set<Dep> old = deps.remove(c);
    if (old == null) {
      return;
    }
    for (Dep d : old) {
      unlink(d, c);
    }
  }

  /** Adds every computation that read {@code d} to {@code out}. */
  public void dependentsOf(Dep d, Collection<C> out) {
    Set<C> s = dependents.get(d);
    if (s != null) {
      out.addAll(s);
    }
  }

  /** What {@code c} read, or null if unknown. */
  public Set<Dep> depsOf(C c) {
    return deps.get(c);
  }

  public void clear() {
    deps.clear();
    dependents.clear();
  }

  /** Number of computations indexed. */
  public int size() {
    return deps.size();
  }
}
