package io.appmeshxds.translator.plan;

import java.util.List;

/** A listener: a socket listener (Envoy) or an API listener (proxyless gRPC). */
public sealed interface ListenerPlan permits ListenerPlan.Socket, ListenerPlan.Api {

  /**
   * A socket listener: {@code lds_<direction>_0.0.0.0_<port>}.
   *
   * @param direction ingress or egress
   * @param port the port
   * @param originalDst whether the original_dst listener filter restores the intercepted address
   * @param tlsInspector whether the tls_inspector listener filter runs (SNI and TLS detection)
   * @param chains filter chains
   */
  record Socket(Direction direction, long port, boolean originalDst, boolean tlsInspector, List<FilterChainPlan> chains)
      implements ListenerPlan {
    public Socket {
      chains = List.copyOf(chains);
    }
  }

  /**
   * An API listener for a proxyless client, named like the target it asks for.
   *
   * @param service the virtual service's App Mesh name
   * @param port the port in the name, or null for the port-less alias
   * @param routeConfig the route configuration it uses
   * @param maxStreamDurationMs default RPC timeout, or null
   */
  record Api(String service, Long port, RouteConfigId routeConfig, Long maxStreamDurationMs) implements ListenerPlan {}
}
