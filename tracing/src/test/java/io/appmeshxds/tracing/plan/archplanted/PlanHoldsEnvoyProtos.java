package io.appmeshxds.tracing.plan.archplanted;

import com.github.udpa.udpa.type.v1.TypedStruct;
import com.github.xds.core.v3.ResourceName;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;

/** Planted (never run): a tracing plan that holds Envoy, xds and udpa protos. */
public final class PlanHoldsEnvoyProtos {
  Cluster cluster;
  ResourceName resourceName;
  TypedStruct typedStruct;
}
