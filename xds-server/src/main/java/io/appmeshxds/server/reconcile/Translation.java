package io.appmeshxds.server.reconcile;

import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.model.ModelChanges;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanSession;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The translation state one reconciler owns between builds: the model builder's, the plans' and the
 * resources of every proxy. {@link #apply} turns a new snapshot into resources incrementally: only
 * objects a change can affect are validated again, only proxies that read something that changed
 * are planned again, and only proxies whose plan changed are translated again.
 *
 * <p>Which proxies: every proxy the model knows, or ({@link #onDemand}) only the proxies asked for,
 * the connected ones. Why on demand in the server: a change to a service that ten thousand nodes
 * list would otherwise re-plan ten thousand proxies when a few hundred are connected; a proxy that
 * connects is planned then, in milliseconds. Not thread-safe.
 */
public final class Translation {

  /**
   * What one build produced.
   *
   * @param build the model build
   * @param resources every proxy's resources (a read-only view, valid until the next build)
   * @param changed proxies whose resources are new or changed in this build
   * @param planned proxies planned in this build
   * @param translated proxies translated in this build
   * @param dropped proxies no longer planned (on demand: gone; or their node is gone)
   */
  public record Result(BuildResult build, Map<NodeKey, XdsResources> resources, Map<NodeKey, XdsResources> changed,
      int planned, int translated, List<NodeKey> dropped) {}

  private final MeshModelBuilder builder;
  private final io.appmeshxds.translator.plan.Planner planner;
  private PlanSession plans;
  private final boolean everyKnownKey;
  private final XdsTranslator translator;
  private final Map<NodeKey, XdsResources> resources = new HashMap<>();
  /** The plan each key's resources were translated from (the planner's own instances). */
  private final Map<NodeKey, ProxyPlan> translatedPlans = new HashMap<>();
  /** Resource references held by all proxies now (the sum of their sets' sizes). */
  private long references;
  private static final int MIN_CACHE = 10_000;
  private MeshResources lastInput;
  private boolean broken;
  private BuildResult last;

  /** Plans every proxy the model knows, plus the keys passed to {@link #apply}. */
  public Translation(Pipeline pipeline) {
    this(pipeline, true);
  }

  private Translation(Pipeline pipeline, boolean everyKnownKey) {
    this.everyKnownKey = everyKnownKey;
    this.builder = pipeline.modelBuilder();
    this.planner = pipeline.planner();
    this.plans = new PlanSession(planner);
    this.translator = new XdsTranslator(pipeline.extensions());
  }

  /** Plans only the keys passed to {@link #apply} and {@link #keys}: the proxies that are connected. */
  public static Translation onDemand(Pipeline pipeline) {
    return new Translation(pipeline, false);
  }

  /**
   * Validates, resolves, plans and translates {@code in} for {@code extraKeys} (on demand: the
   * wanted proxies; else: proxyless clients besides every known proxy).
   */
  public Result apply(MeshResources in, Collection<NodeKey> extraKeys) {
    return apply(in, extraKeys, ControlPlaneTelemetry.noop().startReconcile());
  }

  /** As {@link #apply(MeshResources, Collection)}, with the phases validate, plan and translate traced. */
  public Result apply(MeshResources in, Collection<NodeKey> extraKeys, ControlPlaneTelemetry.Reconcile trace) {
    return apply(in, null, extraKeys, trace);
  }

  /**
   * As {@link #apply(MeshResources, Collection, ControlPlaneTelemetry.Reconcile)}, told what changed
   * since the previous snapshot ({@code changes}; null: worked out by comparing the snapshots). After
   * an internal error the next call translates everything again, since state may be half updated.
   */
  public Result apply(MeshResources in, InputChanges changes, Collection<NodeKey> extraKeys,
      ControlPlaneTelemetry.Reconcile trace) {
    InputChanges what = broken || lastInput == null ? InputChanges.everything()
        : changes != null ? changes : InputChanges.between(lastInput, in);
    if (broken) {
      // Why a new session: a build that failed while planning kept the plans made before the failure,
      // never translated; planned again they would equal those and their proxies keep stale resources.
      plans = new PlanSession(planner);
    }
    broken = true;
    Result r = applyChanges(in, what, extraKeys, trace);
    broken = false;
    return r;
  }

  private Result applyChanges(MeshResources in, InputChanges changes, Collection<NodeKey> extraKeys,
      ControlPlaneTelemetry.Reconcile trace) {
    BuildResult built;
    try (ControlPlaneTelemetry.Phase p = trace.phase(ControlPlaneTelemetry.VALIDATE)) {
      built = builder.update(in, changes);
      BuildResult b = built;
      p.attribute(ControlPlaneTelemetry.OBJECTS_REJECTED,
          () -> b.status().objects().values().stream().filter(s -> !s.accepted()).count());
    }
    lastInput = in;
    last = built;
    PlanSession.Update planned;
    try (ControlPlaneTelemetry.Phase p = trace.phase(ControlPlaneTelemetry.PLAN)) {
      planned = plans.update(built.model(), built.changes(), extraKeys, everyKnownKey);
      p.attribute(ControlPlaneTelemetry.PROXIES, planned.total());
    }
    Map<NodeKey, XdsResources> changed;
    try (ControlPlaneTelemetry.Phase p = trace.phase(ControlPlaneTelemetry.TRANSLATE)) {
      changed = translate(planned.changed(), !built.changes().all());
      if (built.changes().all()) {
        translator.endGeneration();
        // Why: between builds from scratch only changed proxies are translated, so nothing else
        // tells which entries are still used; keep room for what every proxy uses plus churn.
        sizeCache(Math.max(references, 2L * translator.cached()));
      }
      p.attribute(ControlPlaneTelemetry.PROXIES_TRANSLATED, planned.changed().size());
    }
    List<NodeKey> dropped = new ArrayList<>();
    planned.changed().forEach((k, p) -> {
      if (p == null) {
        dropped.add(k);
      }
    });
    return new Result(built, Collections.unmodifiableMap(resources), changed, planned.total(), planned.changed().size(),
        dropped);
  }

  private Map<NodeKey, XdsResources> translate(Map<NodeKey, ProxyPlan> changedPlans) {
    return translate(changedPlans, true);
  }

  /**
   * Translates changed plans. {@code reuse}: a type whose sub-plans are the instances the key's
   * last plan had keeps its resources without a lookup each (not in a build from scratch, which
   * must mark every cache entry it uses).
   */
  private Map<NodeKey, XdsResources> translate(Map<NodeKey, ProxyPlan> changedPlans, boolean reuse) {
    Map<NodeKey, XdsResources> out = new LinkedHashMap<>();
    changedPlans.forEach((key, plan) -> {
      if (plan == null) {
        drop(key);
        return;
      }
      XdsResources r = translateOne(key, plan, reuse);
      if (r != null) {
        out.put(key, r);
      }
    });
    translator.endPass();
    // Why: proxies that connect one by one are translated in passes of one, and a cache smaller
    // than what the connected proxies use built equal resources again as new instances (several
    // copies of each cluster and load assignment held at 5,000 streams). Room for every
    // reference held bounds it by what is in use.
    sizeCache(references);
    return out;
  }

  /** Forgets a key that is no longer planned. */
  private void drop(NodeKey key) {
    XdsResources gone = resources.remove(key);
    references -= gone == null ? 0 : gone.size();
    translatedPlans.remove(key);
  }

  /** Translates one key's new plan and keeps the result; returns it, or null when it equals the key's resources before. */
  private XdsResources translateOne(NodeKey key, ProxyPlan plan, boolean reuse) {
    ProxyPlan before = translatedPlans.put(key, plan);
    XdsResources r = translator.translate(plan, reuse ? before : null, resources.get(key));
    XdsResources old = resources.put(key, r);
    references += r.size() - (old == null ? 0 : old.size());
    return r.equals(old) ? null : r;
  }

  /** Bounds the translator's cache to {@code entries}, at least {@link #MIN_CACHE}. */
  private void sizeCache(long entries) {
    translator.capacity((int) Math.min(Integer.MAX_VALUE, Math.max(MIN_CACHE, entries)));
  }

  /**
   * Moves to a new set of keys against the last build (proxies connected or gone): plans and
   * translates the new ones, drops the ones no longer wanted (on demand only), handing {@code each}
   * every key whose resources are new or changed (or, with null, that was dropped) as soon as that
   * key is planned and translated, before the next key is planned. Why: in a connect storm the first
   * proxies are answered while the others are still being planned, and a proxy waits for its own
   * plan rather than for the whole batch. The translator's cache is shared across the batch. After
   * an internal error the next
   * {@link #apply} starts over, since plans may have been kept for keys never translated.
   */
  public void keys(Collection<NodeKey> wanted, java.util.function.BiConsumer<NodeKey, XdsResources> each) {
    if (last == null) {
      return;
    }
    broken = true;
    plans.update(last.model(), new ModelChanges(false, Set.of()), wanted, everyKnownKey, (key, plan) -> {
      if (plan == null) {
        drop(key);
        each.accept(key, null);
        return;
      }
      XdsResources r = translateOne(key, plan, true);
      if (r != null) {
        each.accept(key, r);
      }
      // Room for every reference held, as the batch grows: a cache smaller than what the proxies of
      // this batch use would evict the clusters they share and build them again as new instances.
      sizeCache(references);
    });
    translator.endPass();
    sizeCache(references);
    broken = false;
  }

  /** Plans and translates one more key against the last build (a proxy that just connected); null if unknown. */
  public XdsResources addKey(NodeKey key) {
    if (last == null) {
      return null;
    }
    XdsResources r = resources.get(key);
    if (r == null) {
      translate(plans.update(last.model(), new ModelChanges(false, Set.of()), List.of(key), true).changed());
      r = resources.get(key);
    }
    return r;
  }

  /** A key's resources against the last build, without keeping them (for {@code /config_dump}); null if unknown. */
  public XdsResources preview(NodeKey key) {
    XdsResources r = resources.get(key);
    if (r != null || last == null) {
      return r;
    }
    ProxyPlan p = plans.preview(key);
    return p == null ? null : translator.translate(p);
  }

  /** The last build, or null. */
  public BuildResult last() {
    return last;
  }

  public boolean knows(NodeKey key) {
    return resources.containsKey(key);
  }
}
