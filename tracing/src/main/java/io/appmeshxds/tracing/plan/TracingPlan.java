package io.appmeshxds.tracing.plan;

import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.ExtensionPlan;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Tracing of one HTTP connection manager, added to every {@code NetworkFilterPlan.Http} of an Envoy
 * proxy by {@link TracingDecorator}; {@code io.appmeshxds.tracing.xds.TracingFactory} turns it into
 * {@code HttpConnectionManager.tracing}.
 *
 * @param samplingPercent share of requests sampled when no upstream decision exists (HCM
 *     {@code random_sampling}; for X-Ray also its local sampling rule)
 * @param spawnUpstreamSpan whether the proxy is a hop of its own (gateways) rather than one hop
 *     with its application (sidecars)
 * @param provider the tracer and where it sends spans
 */
public record TracingPlan(double samplingPercent, boolean spawnUpstreamSpan, Provider provider) implements ExtensionPlan {

  /** A tracer. */
  public sealed interface Provider permits XRay, OpenTelemetry, Zipkin {}

  /**
   * Envoy's X-Ray tracer: UDP segments to a daemon (or agent) at an IP literal.
   *
   * @param daemonAddress IP literal of the daemon
   * @param daemonPort its UDP port
   * @param segmentName segment name
   * @param mesh mesh name for {@code segment_fields.aws.app_mesh.mesh_name}
   * @param virtualNode VirtualNode (or VirtualGateway) name for {@code aws.app_mesh.virtual_node_name}
   */
  public record XRay(String daemonAddress, long daemonPort, String segmentName, String mesh, String virtualNode)
      implements Provider {}

  /**
   * Envoy's OpenTelemetry tracer: OTLP/gRPC to a collector cluster.
   *
   * @param collector the collector cluster (HTTP/2)
   * @param serviceName the resource's {@code service.name}
   * @param resourceAttributes static resource attributes (mesh, node), sorted
   */
  public record OpenTelemetry(ClusterId collector, String serviceName, SortedMap<String, String> resourceAttributes)
      implements Provider {
    public OpenTelemetry {
      resourceAttributes = Collections.unmodifiableSortedMap(new TreeMap<>(resourceAttributes));
    }
  }

  /**
   * Envoy's Zipkin tracer: JSON v2 spans over HTTP to a collector cluster.
   *
   * @param collector the collector cluster
   * @param collectorHostname the Host header of span uploads (the collector's host name)
   */
  public record Zipkin(ClusterId collector, String collectorHostname) implements Provider {}
}
