package io.appmeshxds.server.reconcile;

import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * The translation state one reconciler owns between builds: last accepted objects, plans and
 * resources per proxy. {@link #apply} turns a new snapshot into the resources of every proxy,
 * re-translating only proxies whose plan changed. Not thread-safe.
 */
public final class Translation {

  /** What one build produced. */
  public record Result(BuildResult build, Map<NodeKey, XdsResources> resources, int planned, int translated) {}

  private final Pipeline pipeline;
  private final MeshModelBuilder builder;
  private final XdsTranslator translator;
  private Map<ObjectRef, MeshObject> lastGood = Map.of();
  private Map<NodeKey, ProxyPlan> plans = new HashMap<>();
  private Map<NodeKey, XdsResources> resources = new HashMap<>();
  private BuildResult last;

  public Translation(Pipeline pipeline) {
    this.pipeline = pipeline;
    this.builder = pipeline.modelBuilder();
    this.translator = new XdsTranslator(pipeline.extensions());
  }

  /** Validates, resolves, plans and translates {@code in} (plus {@code extraKeys}, e.g. proxyless clients). */
  public Result apply(MeshResources in, Collection<NodeKey> extraKeys) {
    return apply(in, extraKeys, ControlPlaneTelemetry.noop().startReconcile());
  }

  /** As {@link #apply(MeshResources, Collection)}, with the phases validate, plan and translate traced. */
  public Result apply(MeshResources in, Collection<NodeKey> extraKeys, ControlPlaneTelemetry.Reconcile trace) {
    BuildResult built;
    try (ControlPlaneTelemetry.Phase p = trace.phase(ControlPlaneTelemetry.VALIDATE)) {
      built = builder.build(in, lastGood);
      p.attribute(ControlPlaneTelemetry.OBJECTS_REJECTED,
          built.status().objects().values().stream().filter(s -> !s.accepted()).count());
    }
    lastGood = built.accepted();
    last = built;
    SortedMap<NodeKey, ProxyPlan> newPlans;
    try (ControlPlaneTelemetry.Phase p = trace.phase(ControlPlaneTelemetry.PLAN)) {
      newPlans = pipeline.planner().planAll(new PlanContext(built.model()), extraKeys);
      p.attribute(ControlPlaneTelemetry.PROXIES, newPlans.size());
    }
    Map<NodeKey, XdsResources> out = new HashMap<>();
    int translated = 0;
    try (ControlPlaneTelemetry.Phase p = trace.phase(ControlPlaneTelemetry.TRANSLATE)) {
      for (Map.Entry<NodeKey, ProxyPlan> e : newPlans.entrySet()) {
        XdsResources r = resources.get(e.getKey());
        if (r == null || !e.getValue().equals(plans.get(e.getKey()))) {
          r = translator.translate(e.getValue());
          translated++;
        }
        out.put(e.getKey(), r);
      }
      translator.endGeneration();
      p.attribute(ControlPlaneTelemetry.PROXIES_TRANSLATED, translated);
    }
    plans = new HashMap<>(newPlans);
    resources = out;
    return new Result(built, out, newPlans.size(), translated);
  }

  /** Plans and translates one more key against the last build (a proxy that just connected); null if unknown. */
  public XdsResources addKey(NodeKey key) {
    if (last == null) {
      return null;
    }
    ProxyPlan p = plans.get(key);
    if (p == null) {
      p = pipeline.planner().plan(key, new PlanContext(last.model()));
      if (p == null) {
        return null;
      }
      plans.put(key, p);
      resources.put(key, translator.translate(p));
    }
    return resources.get(key);
  }

  /** The last build, or null. */
  public BuildResult last() {
    return last;
  }

  public boolean knows(NodeKey key) {
    return plans.containsKey(key);
  }
}
