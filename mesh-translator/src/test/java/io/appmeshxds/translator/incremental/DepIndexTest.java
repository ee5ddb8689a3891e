package io.appmeshxds.translator.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.api.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The index answers who read what exactly like a plain map of sets would, through random reads,
 * re-reads and removals; and a dep read by several computations is held once, whichever reader's
 * copy came first (each proxy's plan builds its own equal copies of what it reads).
 */
class DepIndexTest {

  private static Dep entry(int i) {
    // new String: every reader's dep is its own copy, as a planner builds them.
    return new Dep.Entry(new String("m".toCharArray()), Kind.VirtualService, new String(("svc-" + i).toCharArray()));
  }

  @Test
  void answersLikeAMapOfSetsThroughRandomChanges() {
    Random rnd = new Random(20);
    DepIndex<Integer> index = new DepIndex<>();
    Map<Integer, Set<Dep>> model = new HashMap<>();
    for (int step = 0; step < 20_000; step++) {
      int c = rnd.nextInt(200);
      if (rnd.nextInt(10) == 0) {
        index.remove(c);
        model.remove(c);
      } else {
        Set<Dep> read = new HashSet<>();
        int n = rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
          read.add(entry(rnd.nextInt(rnd.nextBoolean() ? 5 : 300)));
        }
        index.set(c, read);
        model.put(c, read);
      }
      if (step % 1000 == 0 || step == 19_999) {
        for (int d = 0; d < 300; d++) {
          Dep dep = entry(d);
          List<Integer> got = new ArrayList<>();
          index.dependentsOf(dep, got);
          Set<Integer> want = new HashSet<>();
          model.forEach((k, v) -> {
            if (v.contains(dep)) {
              want.add(k);
            }
          });
          assertThat(got).as("readers of " + dep + " at step " + step).doesNotHaveDuplicates();
          assertThat(new HashSet<>(got)).as("readers of " + dep + " at step " + step).isEqualTo(want);
        }
        model.forEach((k, v) -> assertThat(index.depsOf(k)).isEqualTo(v));
      }
    }
  }

  @Test
  void everyReaderHoldsTheSameInstanceOfASharedDep() {
    DepIndex<Integer> index = new DepIndex<>();
    for (int c = 0; c < 50; c++) {
      index.set(c, Set.of(entry(1), entry(c % 3 == 0 ? 2 : 1000 + c)));
    }
    // Read again, partly the same: the kept reads stay the shared instances.
    for (int c = 0; c < 50; c += 2) {
      index.set(c, Set.of(entry(1), entry(7)));
    }
    Dep shared = index.shared(entry(1));
    assertThat(shared).isEqualTo(entry(1));
    for (int c = 0; c < 50; c++) {
      Set<Dep> read = index.depsOf(c);
      for (Dep d : read) {
        assertThat(d).as("reader " + c + " of " + d).isSameAs(index.shared(d));
      }
    }
    // The first reader leaves: the others still share one instance, which the index keeps.
    index.remove(0);
    assertThat(index.shared(entry(1))).isSameAs(shared);
    List<Integer> readers = new ArrayList<>();
    index.dependentsOf(entry(1), readers);
    assertThat(readers).hasSize(49);
  }
}
