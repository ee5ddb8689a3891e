package io.appmeshxds.translator.input;

import java.util.Map;

/** A Kubernetes Namespace, trimmed to what mesh membership needs: its labels. */
public record K8sNamespace(String name, Map<String, String> labels) {
  public K8sNamespace {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
