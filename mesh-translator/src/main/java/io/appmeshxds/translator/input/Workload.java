package io.appmeshxds.translator.input;

import java.util.Map;

/**
 * A Deployment or DaemonSet a Flagger Canary may target: only its pod selector labels matter here
 * (Flagger takes the first of {@code app}, {@code name}, {@code app.kubernetes.io/name} found in
 * them as the key of the VirtualNodes' pod selectors).
 *
 * @param ref the workload ({@code Deployment}, {@code DaemonSet})
 * @param matchLabels {@code spec.selector.matchLabels}
 */
public record Workload(ObjectRef ref, Map<String, String> matchLabels) {
  public Workload {
    matchLabels = Map.copyOf(matchLabels);
  }
}
