package io.appmeshxds.translator.plan;

/** Where the endpoints of a backend cluster come from, for one kind of client. */
public enum EndpointSource {
  /** EDS built by the EndpointSlice rule ({@link EndpointPlanner}), in a plain cluster: proxyless gRPC clients. */
  PROXYLESS,
  /** EDS built by the EndpointSlice rule, for an Envoy proxy of a mesh that opted into per-pod endpoints. */
  PER_POD,
  /**
   * As App Mesh served it: a DNS-discovered node's hostname goes into the cluster and Envoy resolves
   * it ({@code LOGICAL_DNS}, {@code STRICT_DNS} for {@code responseType: ENDPOINTS}); nodes without
   * DNS discovery keep EDS.
   */
  ENVOY_DNS;

  /** The source for Envoy proxies of {@code mesh}. */
  public static EndpointSource envoy(EndpointOptions options, String mesh) {
    return options.perPod(mesh) ? PER_POD : ENVOY_DNS;
  }
}
