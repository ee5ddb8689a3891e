package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.incremental.Dep;
import io.appmeshxds.translator.incremental.DepIndex;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.ModelChanges;
import io.appmeshxds.translator.incremental.Reads;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans kept across builds: each proxy's plan records what it read (directly and through memoized
 * sub-plans), so after a build only the proxies that read something that changed are planned
 * again. Not thread-safe: one reconciler owns it.
 */
public final class PlanSession {

  /**
   * What one update did.
   *
   * @param changed proxies whose plan is new or changed (null value: no longer planned)
   * @param planned proxies planned in this update (adapted ones included)
   * @param adapted proxies whose plan was adapted to changed sub-plans rather than planned again
   * @param total proxies that have a plan now
   */
  public record Update(Map<NodeKey, ProxyPlan> changed, int planned, int adapted, int total) {}

  private final Planner planner;
  private final DepIndex<NodeKey> reads = new DepIndex<>();
  private final Map<NodeKey, ProxyPlan> plans = new HashMap<>();
  private Set<NodeKey> known = Set.of();
  private PlanContext ctx;

  public PlanSession(Planner planner) {
    this.planner = planner;
  }

  /**
   * Plans every key the model knows (sidecars, gateways) plus {@code extra} keys (proxyless
   * clients), as far as {@code changes} can affect them.
   */
  public Update update(MeshModel model, ModelChanges changes, Collection<NodeKey> extra) {
    return update(model, changes, extra, true);
  }

  /**
   * Plans what {@code changes} can affect. With {@code everyKnownKey}, the keys are every key the
   * model knows plus {@code keys}; without, exactly {@code keys} (the proxies that are connected):
   * keys planned before and not wanted any more are dropped (reported with a null plan).
   */
  public Update update(MeshModel model, ModelChanges changes, Collection<NodeKey> keys, boolean everyKnownKey) {
    return update(model, changes, keys, everyKnownKey, (k, p) -> {});
  }

  /**
   * As {@link #update(MeshModel, ModelChanges, Collection, boolean)}, handing {@code each} every
   * entry of {@link Update#changed()} as soon as it is decided, in the same order (a null plan: the
   * key is dropped). Why: a proxy that connects during a storm can be translated and answered as
   * soon as its own plan is made, instead of after every other proxy of the batch is planned.
   * {@code each} runs outside any recording of reads, and must not call back into this session.
   */
  public Update update(MeshModel model, ModelChanges changes, Collection<NodeKey> keys, boolean everyKnownKey,
      java.util.function.BiConsumer<NodeKey, ProxyPlan> each) {
    Map<NodeKey, ProxyPlan> out = new LinkedHashMap<>();
    Set<NodeKey> affected = new TreeSet<>();
    // What each affected proxy read that changed. Why: a proxy affected only through memoized
    // sub-plans can have its plan adapted (ProxyPlanner.replan) instead of planned again.
    Map<NodeKey, List<Dep>> causes = new HashMap<>();
    boolean keysMayChange = changes.all();
    if (ctx == null || changes.all()) {
      ctx = PlanContext.incremental(model);
      reads.clear();
    } else {
      Set<Dep> changed = new HashSet<>(changes.deps());
      ctx.advance(model, changes, changed);
      List<NodeKey> readers = new ArrayList<>();
      for (Dep d : changed) {
        readers.clear();
        reads.dependentsOf(d, readers);
        for (NodeKey k : readers) {
          causes.computeIfAbsent(k, x -> new ArrayList<>(2)).add(d);
        }
        keysMayChange |= d instanceof Dep.Names;
      }
      affected.addAll(causes.keySet());
    }
    if (everyKnownKey) {
      if (keysMayChange) {
        Set<NodeKey> now = new HashSet<>(planner.knownKeys(model));
        for (NodeKey k : now) {
          if (changes.all() || !known.contains(k)) {
            affected.add(k);
            causes.remove(k);
          }
        }
        for (NodeKey k : known) {
          if (!now.contains(k)) {
            affected.add(k);
            causes.remove(k);
          }
        }
        known = now;
      }
    } else {
      Set<NodeKey> wanted = new HashSet<>(keys);
      for (NodeKey k : List.copyOf(plans.keySet())) {
        if (!wanted.contains(k)) {
          affected.remove(k);
          reads.remove(k);
          plans.remove(k);
          decided(out, each, k, null);
        }
      }
    }
    for (NodeKey k : keys) {
      if (!plans.containsKey(k)) {
        affected.add(k);
        causes.remove(k);
      }
    }
    if (changes.all()) {
      affected.addAll(plans.keySet());
    }
    int adapted = 0;
    for (NodeKey k : affected) {
      ProxyPlan before = plans.get(k);
      List<Dep> why = causes.get(k);
      if (before != null && why != null) {
        // Reads stay what they were: an adapted plan reads what the plan it adapts read.
        ProxyPlan p = planner.replan(k, ctx, before, why);
        if (p != null) {
          adapted++;
          if (p != before) {
            plans.put(k, p);
            if (!before.equals(p)) {
              decided(out, each, k, p);
            }
          }
          continue;
        }
      }
      Reads.Recorded<ProxyPlan> r = Reads.record(() -> planner.plan(k, ctx));
      if (r.value() == null) {
        reads.remove(k);
        if (plans.remove(k) != null) {
          decided(out, each, k, null);
        }
        continue;
      }
      reads.set(k, r.deps());
      plans.put(k, r.value());
      if (before == null || !before.equals(r.value())) {
        decided(out, each, k, r.value());
      }
    }
    return new Update(out, affected.size(), adapted, plans.size());
  }

  /** Records a key's outcome (each key is decided once per update) and hands it on. */
  private static void decided(Map<NodeKey, ProxyPlan> out, java.util.function.BiConsumer<NodeKey, ProxyPlan> each, NodeKey k,
      ProxyPlan p) {
    out.put(k, p);
    each.accept(k, p);
  }

  /**
   * The plan of {@code key} against the current model without keeping it (nothing is recorded
   * for it; memoized sub-plans are shared); null when the model does not know the key.
   */
  public ProxyPlan preview(NodeKey key) {
    ProxyPlan kept = plans.get(key);
    if (kept != null || ctx == null) {
      return kept;
    }
    return Reads.record(() -> planner.plan(key, ctx)).value();
  }

  /** The current plan of a key, or null. */
  public ProxyPlan plan(NodeKey key) {
    return plans.get(key);
  }

  /** Keys planned now, for tests. */
  public Set<NodeKey> keys() {
    return Set.copyOf(plans.keySet());
  }

  /** Memoized sub-plans held, for metrics. */
  public int memoized() {
    return ctx == null ? 0 : ctx.memoized();
  }

  List<NodeKey> known() {
    return List.copyOf(known);
  }
}
