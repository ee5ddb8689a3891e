package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.List;

/**
 * An accepted VirtualService.
 *
 * @param ref the object
 * @param awsName App Mesh name (the hostname clients call)
 * @param service the object
 * @param provider who serves it, or null (no provider)
 * @param kubernetesNames Kubernetes Service host names this virtual service stands for (e.g.
 *     {@code podinfo}, {@code podinfo.demo}, {@code podinfo.demo.svc.cluster.local}), sorted
 */
public record ResolvedService(
    ObjectRef ref, String awsName, VirtualService service, Provider provider, List<String> kubernetesNames) {

  public ResolvedService {
    kubernetesNames = List.copyOf(kubernetesNames);
  }

  /** A VirtualNode or a VirtualRouter provider. */
  public sealed interface Provider permits NodeProvider, RouterProvider {}

  /** Provided by a VirtualNode (its awsName). */
  public record NodeProvider(String node) implements Provider {}

  /** Provided by a VirtualRouter (its awsName). */
  public record RouterProvider(String router) implements Provider {}
}
