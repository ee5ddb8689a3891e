package io.appmeshxds.translator.plan;

/** A cluster and its weight (0–100). */
public record WeightedCluster(ClusterId cluster, long weight) {}
