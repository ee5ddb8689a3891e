package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.model.MeshModel;
import java.util.List;

/** Plans one kind of proxy. The gateway module contributes the GATEWAY planner. */
public interface ProxyPlanner {

  NodeKey.Kind kind();

  /** Keys of every proxy of this kind the model knows (proxyless keys are added when clients connect). */
  List<NodeKey> keys(MeshModel model);

  /** The plan for {@code key}, or null when the model does not know it. */
  ProxyPlan plan(NodeKey key, PlanContext ctx);
}
