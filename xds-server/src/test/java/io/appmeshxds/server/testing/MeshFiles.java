package io.appmeshxds.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The podinfo mesh as manifest files in a directory, with EndpointSlices pointing at real loopback
 * backends; routers are rewritten the way Flagger rewrites them.
 */
public final class MeshFiles {
  public static final String LOADTESTER = "mesh/appmesh/virtualNode/flagger-loadtester_demo";

  private final Path dir;

  public MeshFiles(Path dir, Map<String, Backend> slices) throws IOException {
    this.dir = dir;
    write("namespaces.yaml", """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: demo
          labels:
            appmesh.k8s.aws/sidecarInjectorWebhook: enabled
        """);
    write("mesh.yaml", """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: Mesh
        metadata:
          name: appmesh
        spec:
          namespaceSelector:
            matchLabels:
              appmesh.k8s.aws/sidecarInjectorWebhook: enabled
        """);
    write("loadtester.yaml", """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: flagger-loadtester
          namespace: demo
        spec:
          podSelector:
            matchLabels:
              app: flagger-loadtester
          backends:
            - virtualService:
                virtualServiceRef:
                  name: podinfo
            - virtualService:
                virtualServiceRef:
                  name: podinfo-canary
        """);
    StringBuilder nodes = new StringBuilder();
    for (String vn : List.of("podinfo-primary", "podinfo-canary")) {
      nodes.append("""
          apiVersion: appmesh.k8s.aws/v1beta2
          kind: VirtualNode
          metadata:
            name: %s
            namespace: demo
          spec:
            podSelector:
              matchLabels:
                app: %s
            listeners:
              - portMapping:
                  port: 9898
                  protocol: http
            serviceDiscovery:
              dns:
                hostname: %s.demo.svc.cluster.local.
          ---
          """.formatted(vn, vn, vn));
    }
    nodes.append("""
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata:
          name: podinfo
          namespace: demo
        spec:
          provider:
            virtualRouter:
              virtualRouterRef:
                name: podinfo
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata:
          name: podinfo-canary
          namespace: demo
        spec:
          provider:
            virtualRouter:
              virtualRouterRef:
                name: podinfo-canary
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualRouter
        metadata:
          name: podinfo-canary
          namespace: demo
        spec:
          listeners:
            - portMapping:
                port: 9898
                protocol: http
          routes:
            - name: podinfo-canary
              httpRoute:
                match:
                  prefix: /
                action:
                  weightedTargets:
                    - virtualNodeRef:
                        name: podinfo-canary
                      weight: 100
        """);
    write("nodes.yaml", nodes.toString());
    slices(slices);
    router(Flagger.weights(0));
  }

  /** EndpointSlices: service name → backend. */
  public void slices(Map<String, Backend> backends) throws IOException {
    StringBuilder sb = new StringBuilder();
    backends.forEach((svc, b) -> sb.append("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: %s-1
          namespace: demo
          labels:
            kubernetes.io/service-name: %s
        addressType: IPv4
        endpoints:
          - addresses: [127.0.0.1]
            conditions: {ready: true}
        ports:
          - name: grpc
            port: %d
            protocol: TCP
        ---
        """.formatted(svc, svc, b.port())));
    write("slices.yaml", sb.toString());
  }

  /** Rewrites the apex router's routes (YAML for {@code spec.routes}); its listener speaks http. */
  public void router(String routes) throws IOException {
    router(routes, "http");
  }

  /** Rewrites the apex router with a listener of {@code protocol} (grpc routes need grpc). */
  public void router(String routes, String protocol) throws IOException {
    write("router.yaml", """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualRouter
        metadata:
          name: podinfo
          namespace: demo
        spec:
          listeners:
            - portMapping:
                port: 9898
                protocol: %s
          routes:
        """.formatted(protocol) + routes.indent(4));
  }

  /** Writes a file atomically (temp + move), as editors and GitOps tools do. */
  public void write(String name, String text) throws IOException {
    Path tmp = Files.createTempFile(dir, ".tmp", ".part");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public Path dir() {
    return dir;
  }
}
