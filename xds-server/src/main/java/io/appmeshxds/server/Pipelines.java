package io.appmeshxds.server;

import io.appmeshxds.gateway.GatewayModule;
import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.plan.TracingDecorator;
import io.appmeshxds.tracing.plan.TracingOverrides;
import io.appmeshxds.tracing.xds.TracingFactory;
import io.appmeshxds.tracing.logs.xds.AccessLogExportDecorator;
import io.appmeshxds.tracing.logs.xds.AccessLogExportFactory;
import io.appmeshxds.translator.plan.EndpointOptions;
import io.appmeshxds.translator.plan.PlanDecorator;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.xds.ExtensionFactory;
import java.util.ArrayList;
import java.util.List;

/** The translation pipeline this build ships: sidecars, proxyless clients, gateways (and the modules' parts). */
public final class Pipelines {
  private Pipelines() {}

  /** Without a config file: tracing only where an object's annotation asks for it. */
  public static Pipeline standard() {
    return standard(ControlPlaneConfig.defaults());
  }

  /**
   * With the {@code --config} file. Its {@code tracing} section drives the tracing decorator, which
   * is always installed, because the {@code appmesh-xds.io/tracing} annotation can turn tracing on
   * for one VirtualNode/VirtualGateway even when the mesh-wide provider is {@code none} (with
   * neither, it leaves every plan as it is). With {@code logging.cloudWatch.enabled}, every proxy
   * also streams its access logs to the exporter. Its {@code endpoints.perPod} section picks the meshes
   * whose sidecars and gateways get per-pod EDS instead of clusters Envoy resolves itself.
   */
  public static Pipeline standard(ControlPlaneConfig config) {
    List<PlanDecorator> decorators = new ArrayList<>();
    List<ExtensionFactory> extensions = new ArrayList<>(GatewayModule.extensions());
    decorators.add(new TracingDecorator(config.tracing()));
    extensions.add(new TracingFactory());
    if (config.logging().cloudWatch().enabled()) {
      decorators.add(AccessLogExportDecorator.of(config.logging().cloudWatch()));
      extensions.add(new AccessLogExportFactory());
    }
    EndpointOptions endpoints = config.endpoints().options();
    return new Pipeline(new Planner(endpoints, List.of(GatewayModule.planner(endpoints)), decorators), extensions,
        List.of(new TracingOverrides()), GatewayModule.checks());
  }
}
