package io.appmeshxds.translator.plan;

import java.util.List;

/**
 * A filter chain and what selects it.
 *
 * @param name chain name (unique in its listener)
 * @param destinationPort original destination port, or null for any
 * @param serverNames SNI names, or empty
 * @param transport which transport the chain accepts (PERMISSIVE TLS needs both)
 * @param tls server-side TLS, or null
 * @param filter the network filter
 */
public record FilterChainPlan(
    String name, Long destinationPort, List<String> serverNames, Transport transport, TlsPlan.Downstream tls,
    NetworkFilterPlan filter) {

  public FilterChainPlan {
    serverNames = List.copyOf(serverNames);
  }

  /** Transport protocol match. */
  public enum Transport {
    ANY,
    TLS,
    RAW
  }
}
