package io.appmeshxds.server.source.kubernetes;

import io.appmeshxds.translator.api.Kind;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The App Mesh kinds as fabric8 sees them: group, version, plural and scope. */
public final class AppMeshKinds {
  private AppMeshKinds() {}

  /** The resource definition of one kind (served as {@code appmesh.k8s.aws/v1beta2}). */
  public static ResourceDefinitionContext context(Kind kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(Kind.GROUP)
        .withVersion(Kind.VERSION)
        .withKind(kind.name())
        .withPlural(kind.plural())
        .withNamespaced(kind.namespaced())
        .build();
  }
}
