package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.incremental.Dep;
import io.appmeshxds.translator.model.MeshModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Plans proxies: sidecars and proxyless clients here, gateways from the gateway module. */
public final class Planner {
  private final Map<NodeKey.Kind, ProxyPlanner> planners = new EnumMap<>(NodeKey.Kind.class);
  private final List<PlanDecorator> decorators;

  /** Sidecars and proxyless clients only, endpoints as App Mesh served them. */
  public Planner() {
    this(List.of(), List.of());
  }

  /** Endpoints as App Mesh served them ({@link EndpointOptions#appMesh()}). */
  public Planner(List<ProxyPlanner> extra, List<PlanDecorator> decorators) {
    this(EndpointOptions.appMesh(), extra, decorators);
  }

  /**
   * @param endpoints where Envoy proxies get endpoints; {@code extra} planners (gateways) must have
   *     been made with the same options
   */
  public Planner(EndpointOptions endpoints, List<ProxyPlanner> extra, List<PlanDecorator> decorators) {
    planners.put(NodeKey.Kind.SIDECAR, new SidecarPlanner(endpoints));
    planners.put(NodeKey.Kind.PROXYLESS, new ProxylessPlanner(endpoints));
    extra.forEach(p -> planners.put(p.kind(), p));
    this.decorators = List.copyOf(decorators);
  }

  /** The plan of one proxy, or null when the model does not know it. */
  public ProxyPlan plan(NodeKey key, PlanContext ctx) {
    ProxyPlanner p = planners.get(key.kind());
    ProxyPlan plan = p == null ? null : p.plan(key, ctx);
    if (plan != null) {
      for (PlanDecorator d : decorators) {
        plan = d.decorate(plan, ctx);
      }
      plan = AcmSecrets.collect(plan, ctx);
    }
    return plan;
  }

  /**
   * {@code before} (a plan this planner returned, decorated) adapted to changed memoized sub-plans
   * ({@link ProxyPlanner#replan}), or null when it must be planned again. Decorators are not run
   * again: they keep route configurations, clusters and load assignments as they find them.
   */
  public ProxyPlan replan(NodeKey key, PlanContext ctx, ProxyPlan before, List<Dep> changed) {
    ProxyPlanner p = planners.get(key.kind());
    return p == null ? null : p.replan(key, ctx, before, changed);
  }

  /** Every key the model knows (sidecars, gateways). */
  public List<NodeKey> knownKeys(MeshModel model) {
    List<NodeKey> out = new ArrayList<>();
    planners.values().forEach(p -> out.addAll(p.keys(model)));
    return out;
  }

  /** Plans of every known key plus {@code extra} keys (e.g. connected proxyless clients); unknown keys are left out. */
  public SortedMap<NodeKey, ProxyPlan> planAll(PlanContext ctx, Collection<NodeKey> extra) {
    TreeSet<NodeKey> keys = new TreeSet<>(knownKeys(ctx.model()));
    keys.addAll(extra);
    SortedMap<NodeKey, ProxyPlan> out = new TreeMap<>();
    for (NodeKey k : keys) {
      ProxyPlan p = plan(k, ctx);
      if (p != null) {
        out.put(k, p);
      }
    }
    return out;
  }
}
