package io.appmeshxds.translator.incremental;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Records what a computation reads. {@link #record} runs a computation with a fresh frame on the
 * current thread; model and plan accessors call {@link #read} as they are used, so what a
 * computation depends on is known without the computation declaring it. Frames nest: an inner
 * computation's reads belong to it alone (the outer one records the inner one as a {@link
 * Dep.Memo}). Outside {@link #record} nothing is recorded and reading costs one thread-local
 * lookup.
 *
 * <p>Why a thread-local, the module's only one (ArchitectureTest allows it by name): the reads
 * happen inside map lookups (model.GraphMap.get) that planners in three modules make, and
 * passing a recorder to each would put the engine's bookkeeping in every planner's signature. The
 * frame lives exactly as long as one {@link #record} call on the caller's thread, so no state
 * outlives a call, and a computation's value never depends on it: only what is recorded does,
 * which the incremental-equals-from-scratch property test checks. It stands in for Java 21's
 * {@code ScopedValue}.
 */
public final class Reads {
  private static final ThreadLocal<Frame> CURRENT = new ThreadLocal<>();

  private Reads() {}

  private static final class Frame {
    final Set<Dep> deps = new HashSet<>();
    final Frame parent;

    Frame(Frame parent) {
      this.parent = parent;
    }
  }

  /** A computed value and everything its computation read. */
  public record Recorded<T>(T value, Set<Dep> deps) {}

  /** Whether a computation is being recorded on this thread (to skip building a key otherwise). */
  public static boolean active() {
    return CURRENT.get() != null;
  }

  /** Records that the running computation read {@code d}. */
  public static void read(Dep d) {
    Frame f = CURRENT.get();
    if (f != null) {
      f.deps.add(d);
    }
  }

  /** Runs {@code compute} in a new frame and returns its value with its reads. */
  public static <T> Recorded<T> record(Supplier<T> compute) {
    Frame f = new Frame(CURRENT.get());
    CURRENT.set(f);
    try {
      return new Recorded<>(compute.get(), f.deps);
    } finally {
      if (f.parent == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(f.parent);
      }
    }
  }
}
