package io.appmeshxds.translator.plan;

import java.util.List;

/** A RouteConfiguration: virtual hosts in order. */
public record RouteConfigPlan(RouteConfigId id, List<VirtualHostPlan> virtualHosts) {
  public RouteConfigPlan {
    virtualHosts = List.copyOf(virtualHosts);
  }
}
