package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The part of Kubernetes metadata translation needs. Other metadata keys (managedFields,
 * ownerReferences, …) are ignored without a warning: they are Kubernetes', not App Mesh's.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectMeta(
    String name,
    String namespace,
    Map<String, String> labels,
    Map<String, String> annotations,
    Long generation,
    String uid,
    String resourceVersion) {

  public ObjectMeta {
    labels = Lists.copy(labels);
    annotations = Lists.copy(annotations);
  }

  /** Metadata with just a name and namespace. */
  public static ObjectMeta of(String namespace, String name) {
    return new ObjectMeta(name, namespace, Map.of(), Map.of(), null, null, null);
  }

  public ObjectMeta withNamespace(String ns) {
    return new ObjectMeta(name, ns, labels, annotations, generation, uid, resourceVersion);
  }

  public ObjectMeta withLabels(Map<String, String> newLabels) {
    return new ObjectMeta(name, namespace, newLabels, annotations, generation, uid, resourceVersion);
  }

  public ObjectMeta withAnnotations(Map<String, String> newAnnotations) {
    return new ObjectMeta(name, namespace, labels, newAnnotations, generation, uid, resourceVersion);
  }

  /** {@code metadata.generation}, 0 when absent (files). */
  public long generationOrZero() {
    return generation == null ? 0 : generation;
  }
}
