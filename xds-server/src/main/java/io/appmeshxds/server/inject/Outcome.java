package io.appmeshxds.server.inject;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * What injection did with a pod.
 *
 * @param result injected, left alone, or refused
 * @param pod the pod to admit (the input itself when nothing changed; null when refused)
 * @param nodeId the node id the pod's Envoy runs as, or null
 * @param message why the pod was left alone or refused (App Mesh's message where it had one), or null
 * @param warnings what the person creating the pod should know (admission warnings)
 */
public record Outcome(Result result, Pod pod, String nodeId, String message, List<String> warnings) {
  public Outcome {
    warnings = List.copyOf(warnings);
  }

  /** The three verdicts. */
  public enum Result {
    /** The pod got a proxy (or, for a gateway, its {@code envoy} container was set up). */
    INJECTED,
    /** Left alone: injection disabled, nothing selects it, already injected, or a failure under {@code Ignore}. */
    UNCHANGED,
    /** Refused under {@code failurePolicy: Fail}, as App Mesh refused it. */
    REFUSED
  }
}
