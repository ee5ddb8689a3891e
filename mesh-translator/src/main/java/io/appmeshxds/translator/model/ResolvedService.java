package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.input.ObjectRef;

/**
 * An accepted VirtualService.
 *
 * @param ref the object
 * @param awsName App Mesh name (the hostname clients call)
 * @param service the object
 * @param provider who serves it, or null (no provider)
 */
public record ResolvedService(ObjectRef ref, String awsName, VirtualService service, Provider provider) {

  /** A VirtualNode or a VirtualRouter provider. */
  public sealed interface Provider permits NodeProvider, RouterProvider {}

  /** Provided by a VirtualNode (its awsName). */
  public record NodeProvider(String node) implements Provider {}

  /** Provided by a VirtualRouter (its awsName). */
  public record RouterProvider(String router) implements Provider {}
}
