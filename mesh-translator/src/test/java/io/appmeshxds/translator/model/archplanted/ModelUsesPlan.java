package io.appmeshxds.translator.model.archplanted;

import io.appmeshxds.translator.plan.ClusterPlan;

/** Planted (never run): the model layer may not access the later plan layer; this one does. */
public final class ModelUsesPlan {
  ClusterPlan plan;
}
