package io.appmeshxds.server;

import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.logs.xds.AccessLogExportDecorator;
import io.appmeshxds.tracing.logs.xds.AccessLogExportFactory;
import io.appmeshxds.translator.plan.PlanDecorator;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.xds.ExtensionFactory;
import java.util.ArrayList;
import java.util.List;

/** The translation pipeline this build ships: sidecars, proxyless clients (and the modules' parts). */
public final class Pipelines {
  private Pipelines() {}

  public static Pipeline standard() {
    return standard(ControlPlaneConfig.defaults());
  }

  /** With the config file's parts: access-log export to the exporter when {@code logging.cloudWatch.enabled}. */
  public static Pipeline standard(ControlPlaneConfig config) {
    List<PlanDecorator> decorators = new ArrayList<>();
    List<ExtensionFactory> factories = new ArrayList<>();
    if (config.logging().cloudWatch().enabled()) {
      decorators.add(AccessLogExportDecorator.of(config.logging().cloudWatch()));
      factories.add(new AccessLogExportFactory());
    }
    return new Pipeline(new Planner(List.of(), decorators), factories);
  }
}
