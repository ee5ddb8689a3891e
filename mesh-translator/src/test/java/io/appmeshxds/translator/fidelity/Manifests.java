package io.appmeshxds.translator.fidelity;

/**
 * Small App Mesh manifests shaped like the public cases (a mesh per namespace, DNS-discovered
 * VirtualNodes behind VirtualServices of the same name, a router for canaries, a client with
 * backends). Each method returns one or more YAML documents ending with a newline; {@link #join}
 * puts them together.
 */
public final class Manifests {
  private Manifests() {}

  public static String join(String... docs) {
    return String.join("---\n", docs);
  }

  /** Namespace {@code ns} (label {@code mesh: <ns>}) and Mesh {@code ns} selecting it. */
  public static String mesh(String ns, boolean allowAll) {
    return """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %s, labels: {mesh: %s}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: Mesh
        metadata: {name: %s}
        spec:
          namespaceSelector: {matchLabels: {mesh: %s}}
        %s""".formatted(ns, ns, ns, ns, allowAll ? "  egressFilter: {type: ALLOW_ALL}\n" : "");
  }

  /**
   * VirtualNode {@code name} in {@code ns} with DNS discovery on {@code <name>.<ns>.svc.cluster.local}
   * and {@code listeners} (a YAML flow sequence, e.g. {@code [{portMapping: {port: 8080, protocol: http}}]}).
   */
  public static String node(String ns, String name, String listeners) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: %s, namespace: %s}
        spec:
          podSelector: {matchLabels: {app: %s}}
          listeners: %s
          serviceDiscovery: {dns: {hostname: %s.%s.svc.cluster.local}}
        """.formatted(name, ns, name, listeners, name, ns);
  }

  /** VirtualService {@code name} in {@code ns} provided by VirtualNode {@code node}. */
  public static String nodeService(String ns, String name, String node) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: %s, namespace: %s}
        spec: {provider: {virtualNode: {virtualNodeRef: {name: %s}}}}
        """.formatted(name, ns, node);
  }

  /**
   * Flagger's shape: nodes {@code <name>-primary} and {@code <name>-canary} (http on {@code port}),
   * router {@code name} with one route {@code name} (prefix /, weights 100/0, no retry policy), and
   * VirtualService {@code name} on the router.
   */
  public static String canary(String ns, String name, int port) {
    String listeners = "[{portMapping: {port: %d, protocol: http}}]".formatted(port);
    return join(node(ns, name + "-primary", listeners), node(ns, name + "-canary", listeners), """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualRouter
        metadata: {name: %s, namespace: %s}
        spec:
          listeners: [{portMapping: {port: %d, protocol: http}}]
          routes:
            - name: %s
              httpRoute:
                match: {prefix: /}
                action:
                  weightedTargets:
                    - {virtualNodeRef: {name: %s-primary}, weight: 100}
                    - {virtualNodeRef: {name: %s-canary}, weight: 0}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: %s, namespace: %s}
        spec: {provider: {virtualRouter: {virtualRouterRef: {name: %s}}}}
        """.formatted(name, ns, port, name, name, name, name, ns, name));
  }

  /** VirtualNode {@code name} in {@code ns} without listeners, with backends (virtual service names in {@code ns}). */
  public static String client(String ns, String name, String... backends) {
    StringBuilder b = new StringBuilder();
    for (String s : backends) {
      b.append("    - virtualService: {virtualServiceRef: {name: ").append(s).append("}}\n");
    }
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: %s, namespace: %s}
        spec:
          podSelector: {matchLabels: {app: %s}}
          backends:
        %s""".formatted(name, ns, name, b);
  }
}
