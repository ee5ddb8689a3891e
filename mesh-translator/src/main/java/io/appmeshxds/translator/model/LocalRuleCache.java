package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.input.Problem;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Memoizes {@link LocalRules} by object identity across builds: an object the source did not
 * change is the same instance, so its rules do not run again. Only the entries of the last build
 * are kept. Not thread-safe: one reconciler owns it.
 */
public final class LocalRuleCache {
  private Map<MeshObject, List<Problem>> previous = new IdentityHashMap<>();
  private Map<MeshObject, List<Problem>> current = new IdentityHashMap<>();

  List<Problem> get(MeshObject o) {
    List<Problem> p = current.get(o);
    if (p == null) {
      p = previous.get(o);
      if (p == null) {
        p = LocalRules.check(o);
      }
      current.put(o, p);
    }
    return p;
  }

  /** Forgets a version that is gone (between builds that do not end with {@link #endBuild()}). */
  void forget(MeshObject o) {
    current.remove(o);
    previous.remove(o);
  }

  /** Ends a build: entries not used in it are dropped. */
  void endBuild() {
    previous = current;
    current = new IdentityHashMap<>();
  }
}
