package io.appmeshxds.translator.input;

import java.util.List;

/**
 * A {@code discovery.k8s.io/v1} EndpointSlice, trimmed to what endpoints need.
 *
 * @param namespace namespace
 * @param name slice name
 * @param serviceName value of the {@code kubernetes.io/service-name} label (may be null)
 * @param addressType IPv4, IPv6 or FQDN
 * @param endpoints endpoints
 * @param ports ports (a null port number means "all ports", rare)
 */
public record EndpointSlice(
    String namespace, String name, String serviceName, String addressType, List<Endpoint> endpoints, List<Port> ports) {

  /** Label Kubernetes puts on slices of a Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  public EndpointSlice {
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    ports = ports == null ? List.of() : List.copyOf(ports);
  }

  /**
   * One endpoint. {@code ready} null means unknown, which Kubernetes says to read as ready.
   *
   * @param addresses addresses (Kubernetes sends exactly one in practice)
   * @param ready conditions.ready
   * @param zone topology zone, or null
   */
  public record Endpoint(List<String> addresses, Boolean ready, String zone) {
    public Endpoint {
      addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    public boolean isReady() {
      return ready == null || ready;
    }
  }

  /** A port of the slice. */
  public record Port(String name, Integer port, String protocol) {}
}
