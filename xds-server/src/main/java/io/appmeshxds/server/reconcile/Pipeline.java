package io.appmeshxds.server.reconcile;

import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.xds.ExtensionFactory;
import io.appmeshxds.translator.xds.XdsJson;
import java.util.List;

/**
 * What translation is made of in this process: the planner (sidecars, proxyless clients, gateways,
 * plan decorators such as tracing) and the extension factories that build the protos of
 * contributed plan parts.
 *
 * @param planner the planner
 * @param extensions extension factories
 */
public record Pipeline(Planner planner, List<ExtensionFactory> extensions) {
  public Pipeline {
    extensions = List.copyOf(extensions);
  }

  public XdsJson json() {
    return new XdsJson(extensions);
  }
}
