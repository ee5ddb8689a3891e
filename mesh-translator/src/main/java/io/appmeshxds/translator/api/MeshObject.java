package io.appmeshxds.translator.api;

/** One App Mesh object: metadata plus its kind's spec. */
public sealed interface MeshObject
    permits Mesh, VirtualNode, VirtualService, VirtualRouter, VirtualGateway, GatewayRoute, BackendGroup {

  ObjectMeta metadata();

  Kind kind();

  /** The spec record (never null; an absent spec is an empty one). */
  Object spec();

  /** {@code metadata.name}. */
  default String name() {
    return metadata().name();
  }

  /** {@code metadata.namespace}; null for the cluster-scoped Mesh. */
  default String namespace() {
    return metadata().namespace();
  }
}
