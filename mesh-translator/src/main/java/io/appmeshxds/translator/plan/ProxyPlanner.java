package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.incremental.Dep;
import java.util.List;

/** Plans one kind of proxy. The gateway module contributes the GATEWAY planner. */
public interface ProxyPlanner {

  NodeKey.Kind kind();

  /** Keys of every proxy of this kind the model knows (proxyless keys are added when clients connect). */
  List<NodeKey> keys(MeshModel model);

  /** The plan for {@code key}, or null when the model does not know it. */
  ProxyPlan plan(NodeKey key, PlanContext ctx);

  /**
   * The plan for {@code key} when the only things its plan {@code before} read that changed are
   * the memoized sub-plans {@code changed} (each a {@link Dep.Memo} whose old value is
   * {@link PlanContext#replaced}): {@code before} adapted, equal to what {@link #plan} returns now
   * and reading the same things; or null to have {@link #plan} run. Why: a route change re-plans
   * every client of the service, and adapting a plan costs what changed in it, where planning it
   * again costs all of its backends.
   */
  default ProxyPlan replan(NodeKey key, PlanContext ctx, ProxyPlan before, List<Dep> changed) {
    return null;
  }
}
