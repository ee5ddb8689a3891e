package io.appmeshxds.translator.incremental;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who read what: for each computation (an object's evaluation, a proxy's plan, a memoized
 * sub-plan) the {@link Dep}s it read, and the reverse. Not thread-safe.
 *
 * <p>Compact, because it holds an entry per read of every proxy: a computation's reads are an
 * array, and a dep read by one computation maps to that computation itself rather than to a set
 * of one. Why: at 5,000 connected proxies the sets were a tenth of the heap each proxy costs.
 * For the same reason a dep read by several computations is kept once: every reader's array holds
 * the instance the index keys it by (each proxy's plan builds its own equal copies, 1.5 KB of
 * each), and its readers are an open-addressing table of references rather than a hash set of
 * entries (8 bytes a reader instead of 40).
 *
 * @param <C> the computation's key
 */
public final class DepIndex<C> {
  /**
   * Readers of a dep read by more than one computation (a distinct class, so a key can never be
   * taken for it), with the dep instance every reader's array holds.
   */
  private static final class Readers {
    final Dep dep;
    /** Linear probing, at most half full; null is empty. */
    private Object[] table = new Object[8];
    private int size;

    Readers(Dep dep, Object a, Object b) {
      this.dep = dep;
      add(a);
      add(b);
    }

    private int slot(Object c) {
      int h = c.hashCode();
      return (h ^ (h >>> 16)) & (table.length - 1);
    }

    void add(Object c) {
      if (2 * (size + 1) > table.length) {
        Object[] old = table;
        table = new Object[old.length * 2];
        size = 0;
        for (Object o : old) {
          if (o != null) {
            add(o);
          }
        }
      }
      int i = slot(c);
      for (Object o; (o = table[i]) != null; i = (i + 1) & (table.length - 1)) {
        if (o.equals(c)) {
          return;
        }
      }
      table[i] = c;
      size++;
    }

    void remove(Object c) {
      int mask = table.length - 1;
      int i = slot(c);
      for (Object o; (o = table[i]) != null; i = (i + 1) & mask) {
        if (o.equals(c)) {
          table[i] = null;
          size--;
          // Shift back the entries after it that probed past it, so every entry stays reachable.
          for (int j = (i + 1) & mask; table[j] != null; j = (j + 1) & mask) {
            int home = slot(table[j]);
            boolean between = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!between) {
              table[i] = table[j];
              table[j] = null;
              i = j;
            }
          }
          return;
        }
      }
    }

    int size() {
      return size;
    }

    Object any() {
      for (Object o : table) {
        if (o != null) {
          return o;
        }
      }
      throw new IllegalStateException("no readers");
    }

    @SuppressWarnings("unchecked")
    <C> void addTo(Collection<C> out) {
      for (Object o : table) {
        if (o != null) {
          out.add((C) o);
        }
      }
    }
  }

  private final Map<C, Dep[]> deps = new HashMap<>();
  /** A dep to its only reader (a C) or to its {@link Readers}. */
  private final Map<Dep, Object> dependents = new HashMap<>();

  /** Replaces what {@code c} read. */
  public void set(C c, Set<Dep> read) {
    Dep[] now = new Dep[read.size()];
    Dep[] old = deps.put(c, now);
    int n = 0;
    if (old == null) {
      for (Dep d : read) {
        now[n++] = link(d, c);
      }
      return;
    }
    // Why a diff: a computation run again mostly reads what it read before; touching only the
    // difference keeps re-planning a proxy proportional to what changed in its reads.
    Map<Dep, Dep> before = new HashMap<>(old.length * 2);
    for (Dep d : old) {
      before.put(d, d);
    }
    for (Dep d : old) {
      if (!read.contains(d)) {
        unlink(d, c);
      }
    }
    for (Dep d : read) {
      Dep kept = before.get(d);
      now[n++] = kept != null ? kept : link(d, c);
    }
  }

  /** Records that {@code c} reads {@code d}; returns the instance of {@code d} its readers share. */
  private Dep link(Dep d, C c) {
    Object cur = dependents.get(d);
    if (cur == null) {
      dependents.put(d, c);
      return d;
    }
    if (cur instanceof Readers r) {
      r.add(c);
      return r.dep;
    }
    if (cur.equals(c)) {
      return d;
    }
    // A second reader: the key is the first reader's instance, found in its array.
    Dep shared = d;
    for (Dep x : deps.get(cur)) {
      if (x != null && x.equals(d)) {
        shared = x;
        break;
      }
    }
    dependents.put(d, new Readers(shared, cur, c));
    return shared;
  }

  private void unlink(Dep d, C c) {
    Object cur = dependents.get(d);
    if (cur instanceof Readers r) {
      r.remove(c);
      if (r.size() == 1) {
        dependents.put(d, r.any());
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
    if (cur instanceof Readers r) {
      r.addTo(out);
    } else if (cur != null) {
      out.add((C) cur);
    }
  }

  /** What {@code c} read, or null if unknown. */
  public Set<Dep> depsOf(C c) {
    Dep[] d = deps.get(c);
    return d == null ? null : Set.of(d);
  }

  /** The instance of {@code d} the index holds, or null when no computation read it; for tests. */
  Dep shared(Dep d) {
    Object cur = dependents.get(d);
    if (cur instanceof Readers r) {
      return r.dep;
    }
    if (cur == null) {
      return null;
    }
    for (Dep x : deps.get((C) cur)) {
      if (x.equals(d)) {
        return x;
      }
    }
    return null;
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
