package io.appmeshxds.server;

import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.plan.TracingDecorator;
import io.appmeshxds.tracing.plan.TracingOverrides;
import io.appmeshxds.tracing.xds.TracingFactory;
import io.appmeshxds.translator.plan.Planner;
import java.util.List;

/** The translation pipeline this build ships: sidecars, proxyless clients (and the modules' parts). */
public final class Pipelines {
  private Pipelines() {}

  /** Without a config file: tracing only where an object's annotation asks for it. */
  public static Pipeline standard() {
    return standard(ControlPlaneConfig.defaults());
  }

  /**
   * With the {@code --config} file: its {@code tracing} section drives the tracing decorator. The
   * decorator is always installed, because the {@code appmesh-xds.io/tracing} annotation can turn
   * tracing on for one VirtualNode/VirtualGateway even when the mesh-wide provider is {@code none};
   * with neither, it leaves every plan as it is.
   */
  public static Pipeline standard(ControlPlaneConfig config) {
    return new Pipeline(new Planner(List.of(), List.of(new TracingDecorator(config.tracing()))),
        List.of(new TracingFactory()), List.of(new TracingOverrides()));
  }
}
