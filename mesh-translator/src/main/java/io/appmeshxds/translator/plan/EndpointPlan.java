package io.appmeshxds.translator.plan;

import java.util.List;

/**
 * Load assignment of an EDS cluster.
 *
 * @param cluster the cluster
 * @param localities endpoints grouped by zone, zones in order
 */
public record EndpointPlan(ClusterId cluster, List<Locality> localities) {
  public EndpointPlan {
    localities = List.copyOf(localities);
  }

  /** Endpoints of one zone ("" when unknown). */
  public record Locality(String zone, List<Address> endpoints) {
    public Locality {
      endpoints = List.copyOf(endpoints);
    }
  }

  /** An endpoint: an IP literal and a port; a separate health-check port, or null. */
  public record Address(String ip, long port, Long healthCheckPort) {}

  /** Number of endpoints. */
  public int size() {
    return localities.stream().mapToInt(l -> l.endpoints().size()).sum();
  }
}
