package io.appmeshxds.translator.plan;

import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where Envoy proxies (sidecars, gateways) get the endpoints of a DNS-discovered VirtualNode.
 *
 * <p>By default as App Mesh did: the cluster names the hostname and Envoy resolves it
 * ({@code LOGICAL_DNS}, or {@code STRICT_DNS} for {@code responseType: ENDPOINTS}); for a Kubernetes
 * Service that is its ClusterIP. Meshes listed here opt into per-pod endpoints instead: EDS with
 * the ready addresses of the Service's EndpointSlices, which the control plane watches. Proxyless
 * gRPC clients always get EDS, whatever this says (they support nothing else).
 *
 * <p>An option of the planner, constant for its lifetime; memo keys of what depends on it carry
 * the decision it leads to, so a context shared by planners with different options stays correct.
 *
 * @param allMeshes every mesh opts in ({@code "*"})
 * @param perPodMeshes App Mesh names of the meshes that opt in
 */
public record EndpointOptions(boolean allMeshes, SortedSet<String> perPodMeshes) {

  public EndpointOptions {
    perPodMeshes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(perPodMeshes));
  }

  /** App Mesh's behaviour everywhere: Envoy resolves DNS hostnames itself. */
  public static EndpointOptions appMesh() {
    return new EndpointOptions(false, new TreeSet<>());
  }

  /** Per-pod endpoints for the named meshes; {@code "*"} stands for every mesh. */
  public static EndpointOptions perPod(Collection<String> meshes) {
    TreeSet<String> names = new TreeSet<>(meshes);
    boolean all = names.remove("*");
    return new EndpointOptions(all, names);
  }

  /** Whether Envoy proxies of {@code mesh} get per-pod endpoints (EDS from EndpointSlices). */
  public boolean perPod(String mesh) {
    return allMeshes || perPodMeshes.contains(mesh);
  }
}
