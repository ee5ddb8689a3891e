package io.appmeshxds.translator.plan;

/**
 * A cluster and its weight (0–100 for App Mesh; Gateway API weights are relative, up to 1000000),
 * with header edits that apply to requests sent to it (Gateway API backendRef filters), or null.
 */
public record WeightedCluster(ClusterId cluster, long weight, RoutePlan.HeaderEdits headers) {
  public WeightedCluster {
    headers = headers == null || headers.isEmpty() ? null : headers;
  }

  public WeightedCluster(ClusterId cluster, long weight) {
    this(cluster, weight, null);
  }
}
