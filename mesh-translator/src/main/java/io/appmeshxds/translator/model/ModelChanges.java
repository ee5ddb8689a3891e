package io.appmeshxds.translator.model;

import io.appmeshxds.translator.incremental.Dep;
import java.util.Set;

/**
 * What one build changed, for whatever was computed from the previous model (plans): the graph
 * entries that changed ({@link Dep.Entry}, {@link Dep.Names}, {@link Dep.Values}), accepted states,
 * and the inputs that changed ({@link Dep.Input}, {@link Dep.Slices}, {@link Dep.Dns}, …).
 *
 * @param all everything may have changed (a build from scratch): recompute everything
 * @param deps what changed, when not {@code all}
 * @param evaluated objects evaluated in the build (the rest kept their evaluation)
 */
public record ModelChanges(boolean all, Set<Dep> deps, int evaluated) {
  public ModelChanges {
    deps = Set.copyOf(deps);
  }

  public ModelChanges(boolean all, Set<Dep> deps) {
    this(all, deps, 0);
  }

  public static ModelChanges everything() {
    return new ModelChanges(true, Set.of());
  }
}
