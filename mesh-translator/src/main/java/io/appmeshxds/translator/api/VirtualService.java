package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A VirtualService: the name clients call, provided by a VirtualNode or a VirtualRouter. */
public record VirtualService(ObjectMeta metadata, Spec spec) implements MeshObject {

  public VirtualService {
    spec = spec == null ? new Spec(null, null, null) : spec;
  }

  @Override
  public Kind kind() {
    return Kind.VirtualService;
  }

  /** {@code VirtualServiceSpec}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(String awsName, Provider provider, MeshReference meshRef) {}

  /** Exactly one of virtualNode or virtualRouter. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Provider(NodeProvider virtualNode, RouterProvider virtualRouter) {}

  /** Exactly one of virtualNodeRef or virtualNodeARN. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodeProvider(Reference virtualNodeRef, String virtualNodeARN) {}

  /** Exactly one of virtualRouterRef or virtualRouterARN. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RouterProvider(Reference virtualRouterRef, String virtualRouterARN) {}
}
