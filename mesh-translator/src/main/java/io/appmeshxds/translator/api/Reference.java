package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/**
 * A reference by Kubernetes name: {@code {namespace?, name}}. App Mesh's VirtualNodeReference,
 * VirtualServiceReference, VirtualRouterReference and BackendGroupReference all have this shape.
 * The namespace defaults to the referring object's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reference(String namespace, @Required String name) {

  public static Reference to(String name) {
    return new Reference(null, name);
  }

  /** The namespace, or {@code defaultNamespace} when unset. */
  public String namespaceOr(String defaultNamespace) {
    return namespace == null || namespace.isEmpty() ? defaultNamespace : namespace;
  }
}
