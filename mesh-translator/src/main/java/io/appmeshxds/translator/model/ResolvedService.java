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
 * @param kubernetesNamespace namespace of that Kubernetes Service, or null when it stands for none
 */
public record ResolvedService(ObjectRef ref, String awsName, VirtualService service, Provider provider,
    List<String> kubernetesNames, String kubernetesNamespace) {

  public ResolvedService {
    kubernetesNames = List.copyOf(kubernetesNames);
  }

  /** With the namespace derived from the names. */
  public ResolvedService(ObjectRef ref, String awsName, VirtualService service, Provider provider,
      List<String> kubernetesNames) {
    this(ref, awsName, service, provider, kubernetesNames, namespaceOf(awsName, kubernetesNames));
  }

  private static String namespaceOf(String awsName, List<String> names) {
    if (names.isEmpty()) {
      return null;
    }
    for (String n : names) {
      String ns = serviceNamespace(n);
      if (ns != null) {
        return ns;
      }
    }
    return serviceNamespace(awsName);
  }

  /** {@code ns} of {@code <svc>.<ns>.svc.cluster.local[.]}, or null. */
  private static String serviceNamespace(String host) {
    int end = host.endsWith(".") ? host.length() - 1 : host.length();
    String suffix = ".svc.cluster.local";
    if (end < suffix.length() || !host.regionMatches(end - suffix.length(), suffix, 0, suffix.length())) {
      return null;
    }
    int first = host.indexOf('.');
    int second = host.indexOf('.', first + 1);
    return host.substring(first + 1, second);
  }

  /** A VirtualNode or a VirtualRouter provider. */
  public sealed interface Provider permits NodeProvider, RouterProvider {}

  /** Provided by a VirtualNode (its awsName). */
  public record NodeProvider(String node) implements Provider {}

  /** Provided by a VirtualRouter (its awsName). */
  public record RouterProvider(String router) implements Provider {}
}
