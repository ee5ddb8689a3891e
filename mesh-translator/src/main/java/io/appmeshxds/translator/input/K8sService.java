package io.appmeshxds.translator.input;

import java.util.List;

/**
 * A Kubernetes Service, trimmed: its name (for virtual-host domains) and ports.
 *
 * @param namespace namespace
 * @param name name
 * @param ports service ports
 */
public record K8sService(String namespace, String name, List<Port> ports) {
  public K8sService {
    ports = ports == null ? List.of() : List.copyOf(ports);
  }

  /** A service port; targetPort is null when it is a named port. */
  public record Port(String name, int port, Integer targetPort, String protocol) {}
}
