package io.appmeshxds.translator.xds.rules.archplanted;

import io.appmeshxds.translator.plan.ClusterPlan;

/** Planted (never run): the proto-rule validator may depend on nothing of ours; this one reads a plan. */
public final class RulesKnowAPlan {
  ClusterPlan plan;
}
