package io.appmeshxds.translator.model;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who read what: for each computation (an object's evaluation, a proxy's plan, a memoized
 * sub-plan) the {@link Dep}s it read, and the reverse. Not thread-safe.
 *
 * <p>Compact, because it holds an entry per read of every proxy: a computation's reads are an
 * array, and a dep read by one computation maps to that computation itself rather than to a set
 * of one. Why: at 5,000 connected proxies the sets were a tenth of the heap each proxy costs.
 *
 * @param <C> the computation's key
 */
public final class DepIndex<C> {
  /** Readers of a dep read by more than one computation (a distinct class, so a key can never be taken for it). */
  private static final class Readers<C> extends HashSet<C> {
    Readers(C a, C b) {
      super(4);
      add(a);
      add(b);
    }
  }

  private final Map<C, Dep[]> deps = new HashMap<>();
  /** A dep to its only reader (a C) or to its {@link Readers}. */
  private final Map<Dep, Object> dependents = new HashMap<>();

  /** Replaces what {@code c} read. */
  public void set(C c, Set<Dep> read) {
    Dep[] old = deps.put(c, read.toArray(new Dep[0]));
    if (old == null) {
      for (Dep d : read) {
        link(d, c);
      }
      return;
    }
    // Why a diff: a computation run again mostly reads what it read before; touching only the
    // difference keeps re-planning a proxy proportional to what changed in its reads.
    Set<Dep> before = new HashSet<>(Arrays.asList(old));
    for (Dep d : old) {
      if (!read.contains(d)) {
        unlink(d, c);
      }
    }
    for (Dep d : read) {
      if (!before.contains(d)) {
        link(d, c);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void link(Dep d, C c) {
    Object cur = dependents.get(d);
    if (cur == null) {
      dependents.put(d, c);
    } else if (cur instanceof Readers<?> r) {
      ((Readers<C>) r).add(c);
    } else if (!cur.equals(c)) {
      dependents.put(d, new Readers<>((C) cur, c));
    }
  }

  private void unlink(Dep d, C c) {
    Object cur = dependents.get(d);
    if (cur instanceof Readers<?> r) {
      r.remove(c);
      if (r.size() == 1) {
        dependents.put(d, r.iterator().next());
      }
    } else if (cur != null && cur.equals(c)) {
      dependents.remove(d);
    }
  }

  /** Forgets {@code c}. */
  public void remove(C c) {
    Dep[] old = deps.remove(c);
    if (old == null) {
      return;
    }
    for (Dep d : old) {
      unlink(d, c);
    }
  }

  /** Adds every computation that read {@code d} to {@code out}. */
  @SuppressWarnings("unchecked")
  public void dependentsOf(Dep d, Collection<C> out) {
    Object cur = dependents.get(d);
    if (cur instanceof Readers<?> r) {
      out.addAll((Readers<C>) r);
    } else if (cur != null) {
      out.add((C) cur);
    }
  }

  /** What {@code c} read, or null if unknown. */
  public Set<Dep> depsOf(C c) {
    Dep[] d = deps.get(c);
    return d == null ? null : Set.of(d);
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
